package echolab.bench.course;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import echolab.bench.harness.ServerCatalogue;

/**
 * The course's charts: one value per server as a horizontal bar with the server's name beside it, so that
 * names never run into each other however many servers a run holds (a row each). The lesson's own server
 * is drawn in a strong colour, the other teaching servers in a muted one, the reference peers and variants
 * in grey with their names in grey. Written as SVG by hand, with real {@code <text>}: a charting library
 * that draws bars only upright, and text as glyph outlines, can do neither; the page prints it sharp, a
 * reader can search it, and the browser test measures its labels.
 */
final class CourseChart {

    static final String HIGHLIGHT = "#1f5f9f";
    static final String TEACHING = "#8fb0d3";
    static final String OTHERS = "#c3c9d1";

    private static final int WIDTH = 720;
    private static final int ROW = 24;
    private static final int BAR = 16;
    private static final int TOP = 44;
    private static final int BOTTOM = 46;
    private static final int RIGHT = 70;              // room for the value printed after the longest bar
    private static final double CHAR = 7.6;           // a generous width of one 12 px character, to size the names' column

    /** One bar: a server's label and its value. */
    record Bar(String label, double value, boolean highlighted) {
    }

    private CourseChart() {
    }

    /** Writes {@code dir/name.svg}; returns the file's name. */
    static String bars(Path dir, String name, String title, String xTitle, List<Bar> bars, boolean logarithmic) throws IOException {
        List<Bar> rows = bars.isEmpty() ? List.of(new Bar("no data", 0, false)) : bars;
        int labelWidth = (int) Math.ceil(12 + CHAR * rows.stream().mapToInt(b -> b.label().length()).max().orElse(4));
        int plotLeft = labelWidth + 8;
        int plotWidth = WIDTH - plotLeft - RIGHT;
        int height = TOP + rows.size() * ROW + BOTTOM;
        Axis axis = logarithmic ? Axis.log(rows) : Axis.linear(rows);

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"system-ui, 'DejaVu Sans', Arial, sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<title>%s</title>%n", Html.escape(title)));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"600\" fill=\"#1d2330\">%s</text>%n",
                plotLeft, Html.escape(title)));
        int axisY = TOP + rows.size() * ROW;
        for (double tick : axis.ticks()) {
            double x = plotLeft + axis.position(tick) * plotWidth;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e3e7ec\"/>%n", x, TOP - 4, x, axisY));
            svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#5b6577\">%s</text>%n",
                    x, axisY + 16, number(tick)));
        }
        svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#5b6577\">%s</text>%n",
                plotLeft + plotWidth / 2.0, axisY + 36, Html.escape(xTitle + (logarithmic ? " (log scale)" : ""))));
        for (int i = 0; i < rows.size(); i++) {
            Bar b = rows.get(i);
            int y = TOP + i * ROW;
            String fill = b.highlighted() ? HIGHLIGHT : teaching(b.label()) ? TEACHING : OTHERS;
            String ink = b.highlighted() || teaching(b.label()) ? "#1d2330" : "#5b6577";
            double w = Math.max(0, axis.position(b.value()) * plotWidth);
            svg.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"%s\"%s>%s</text>%n",
                    labelWidth, y + BAR - 3, ink, b.highlighted() ? " font-weight=\"700\"" : "", Html.escape(b.label())));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", plotLeft, y, w, BAR, fill));
            svg.append(String.format(Locale.ROOT, "<text class=\"value\" x=\"%.1f\" y=\"%d\" fill=\"#5b6577\">%s</text>%n",
                    plotLeft + w + 4, y + BAR - 3, number(b.value())));
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#5b6577\"/>%n", plotLeft, TOP - 4, plotLeft, axisY));
        svg.append("</svg>\n");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".svg"), svg);
        return name + ".svg";
    }

    /**
     * A grid of ranks, a row per cost and a column per server, each cell coloured from green (1, the
     * cheapest) through yellow to red ({@code worst}) with its rank written in it; 0 is an empty cell.
     * Writes {@code dir/name.svg}; returns the file's name.
     */
    static String ranks(Path dir, String name, String title, List<String> rows, List<String> columns, int[][] ranks, int worst)
            throws IOException {
        int rowWidth = (int) Math.ceil(12 + CHAR * rows.stream().mapToInt(String::length).max().orElse(4));
        int cell = Math.max(90, (int) Math.ceil(16 + CHAR * columns.stream().mapToInt(String::length).max().orElse(4)));
        int cellHeight = 30;
        int width = rowWidth + 8 + cell * columns.size() + 8;
        int height = TOP + 20 + rows.size() * cellHeight + 12;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"system-ui, 'DejaVu Sans', Arial, sans-serif\" font-size=\"12\">%n", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<title>%s</title>%n", Html.escape(title)));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"600\" fill=\"#1d2330\">%s</text>%n",
                rowWidth + 8, Html.escape(title)));
        int left = rowWidth + 8;
        for (int c = 0; c < columns.size(); c++) {
            svg.append(String.format(Locale.ROOT, "<text class=\"column\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#1d2330\">%s</text>%n",
                    left + c * cell + cell / 2, TOP + 10, Html.escape(columns.get(c))));
        }
        for (int r = 0; r < rows.size(); r++) {
            int y = TOP + 20 + r * cellHeight;
            svg.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#1d2330\">%s</text>%n",
                    rowWidth, y + cellHeight / 2 + 4, Html.escape(rows.get(r))));
            for (int c = 0; c < columns.size(); c++) {
                int rank = ranks[r][c];
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"2\"/>%n",
                        left + c * cell, y, cell, cellHeight, rank == 0 ? "#f3f4f6" : rankColour(rank, worst)));
                if (rank > 0) {
                    svg.append(String.format(Locale.ROOT, "<text class=\"value\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"700\" "
                            + "fill=\"#1d2330\">%d</text>%n", left + c * cell + cell / 2, y + cellHeight / 2 + 4, rank));
                }
            }
        }
        svg.append("</svg>\n");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".svg"), svg);
        return name + ".svg";
    }

    /** Green for rank 1, yellow half-way, red for the worst: the heat map's scale, mixed in RGB. */
    private static String rankColour(int rank, int worst) {
        int[][] stops = {{0x7c, 0xc4, 0x7f}, {0xf9, 0xe7, 0x9f}, {0xe5, 0x73, 0x73}};
        double t = worst <= 1 ? 0 : (rank - 1) / (double) (worst - 1) * 2;
        int i = Math.min(1, (int) Math.floor(t));
        double f = t - i;
        int[] a = stops[i];
        int[] b = stops[i + 1];
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f),
                Math.round(a[2] + (b[2] - a[2]) * f));
    }

    /** A teaching server of the catalogue (as opposed to a peer, a variant, or a label that is not a server). */
    private static boolean teaching(String label) {
        return ServerCatalogue.teaching().stream().anyMatch(e -> e.name().equals(label));
    }

    /** A value as a chart prints it: three significant figures at most, thousands grouped. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : a >= 0.01 ? "%.3f" : "%.1g", v)
                .replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    /** Where a value falls along the bars, from 0 (the axis) to 1 (the end of the plot), and the ticks to draw. */
    private record Axis(double min, double max, boolean log, List<Double> ticks) {

        static Axis linear(List<Bar> bars) {
            double top = bars.stream().mapToDouble(Bar::value).max().orElse(0);
            if (top <= 0) {
                return new Axis(0, 1, false, List.of(0.0, 1.0));
            }
            double step = Math.pow(10, Math.floor(Math.log10(top / 4)));
            for (double m : new double[] {1, 2, 2.5, 5, 10}) {
                if (top / (step * m) <= 5) {
                    step *= m;
                    break;
                }
            }
            double max = Math.ceil(top / step) * step;
            List<Double> ticks = new ArrayList<>();
            for (int i = 0; i * step <= max * (1 + 1e-9); i++) {
                ticks.add(i * step);
            }
            return new Axis(0, max, false, ticks);
        }

        static Axis log(List<Bar> bars) {
            double top = bars.stream().mapToDouble(Bar::value).max().orElse(1);
            double low = bars.stream().mapToDouble(Bar::value).filter(v -> v > 0).min().orElse(1);
            double min = Math.pow(10, Math.floor(Math.log10(Math.min(low, top)) ) - 1);
            double max = Math.pow(10, Math.ceil(Math.log10(Math.max(top, min * 10))));
            List<Double> ticks = new ArrayList<>();
            for (double t = min; t <= max * 1.0001; t *= 10) {
                ticks.add(t);
            }
            return new Axis(min, max, true, ticks);
        }

        double position(double v) {
            if (log) {
                return v <= min ? 0 : (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min));
            }
            return max == min ? 0 : (v - min) / (max - min);
        }
    }
}
