package echolab.bench.course;

/**
 * One figure of a lesson: what it shows (a sentence and a table, as HTML), a chart, and where it comes
 * from (the run, its machine, and the command that reproduces it). When its run is missing or lacks
 * the scenario, {@code body} says so and {@code source} names the command that produces it.
 *
 * @param chart the chart's file under figures/, or null
 * @param missing true when the figure could not be drawn from the runs given
 */
record PageFigure(String id, String title, String body, String chart, String chartAlt, String source, boolean missing) {

    String html() {
        StringBuilder s = new StringBuilder();
        s.append(String.format("<figure class=\"figure%s\" id=\"figure-%s\">%n<figcaption class=\"figure-title\">%s</figcaption>%n",
                missing ? " missing" : "", id, Html.escape(title)));
        s.append(body).append('\n');
        if (chart != null) {
            s.append(String.format("<img class=\"chart\" src=\"figures/%s\" alt=\"%s\">%n", chart, Html.escape(chartAlt)));
        }
        s.append("<p class=\"source\">").append(source).append("</p>\n</figure>\n");
        return s.toString();
    }
}
