package echolab.bench.course;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A connection's state diagram, read from the {@code <pre>} block of a teaching file's Javadoc and drawn
 * as SVG. Each line is a path of transitions, {@code FROM --event--> TO --event--> TO ...}, optionally
 * ending in a note in parentheses; the state {@code any} stands for every other state. States are laid
 * out on a circle in the order they first appear; an edge and its reverse bend apart so both read.
 */
public final class StateDiagram {

    private static final Pattern START = Pattern.compile("^\\s*(\\w+)\\s*");
    private static final Pattern STEP = Pattern.compile("\\G--(.+?)-->\\s*(\\w+)\\s*");
    private static final String ANY = "any";

    /** One labelled transition; {@code note} is the text in parentheses at the end of its line, if any. */
    public record Edge(String from, String to, String event, String note) {
    }

    private final List<String> states;
    private final List<Edge> edges;

    private StateDiagram(List<String> states, List<Edge> edges) {
        this.states = states;
        this.edges = edges;
    }

    /** Parses the lines of a {@code <pre>} block; IllegalArgumentException naming a line that is not a path. */
    public static StateDiagram parse(List<String> lines) {
        Set<String> states = new LinkedHashSet<>();
        List<Edge> raw = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String text = line.strip();
            String note = null;
            Matcher paren = Pattern.compile("\\(([^()]*)\\)\\s*$").matcher(text);
            if (paren.find() && !text.substring(0, paren.start()).stripTrailing().endsWith("--")) {
                String before = text.substring(0, paren.start()).stripTrailing();
                if (before.matches(".*-->\\s*\\w+$")) {
                    note = paren.group(1).strip();
                    text = before;
                }
            }
            Matcher start = START.matcher(text);
            if (!start.find()) {
                throw new IllegalArgumentException("not a state path: '" + line.strip() + "'");
            }
            String from = start.group(1);
            Matcher step = STEP.matcher(text);
            int at = start.end();
            int steps = 0;
            while (step.find(at) && step.start() == at) {
                String to = step.group(2);
                raw.add(new Edge(from, to, step.group(1).strip(), null));
                if (!from.equals(ANY)) {
                    states.add(from);
                }
                states.add(to);
                from = to;
                at = step.end();
                steps++;
            }
            if (steps == 0 || at != text.length()) {
                throw new IllegalArgumentException("not a state path: '" + line.strip() + "'");
            }
            if (note != null) {
                Edge last = raw.removeLast();
                raw.add(new Edge(last.from(), last.to(), last.event(), note));
            }
        }
        List<Edge> edges = new ArrayList<>();
        for (Edge e : raw) {
            if (e.from().equals(ANY)) {
                for (String s : states) {
                    if (!s.equals(e.to())) {
                        edges.add(new Edge(s, e.to(), e.event(), e.note()));
                    }
                }
            } else {
                edges.add(e);
            }
        }
        return new StateDiagram(List.copyOf(states), List.copyOf(edges));
    }

    public List<String> states() {
        return states;
    }

    public List<Edge> edges() {
        return edges;
    }

    /** The diagram as a standalone SVG element, {@code title} as its accessible name. */
    public String svg(String title) {
        int width = 760;
        int height = 420;
        double cx = width / 2.0;
        double cy = height / 2.0 + 10;
        double rx = 250;
        double ry = 130;
        Map<String, double[]> at = new LinkedHashMap<>();
        for (int i = 0; i < states.size(); i++) {
            double angle = Math.PI + 2 * Math.PI * i / states.size();      // the first state on the left
            at.put(states.get(i), new double[] {cx + rx * Math.cos(angle), cy + ry * Math.sin(angle)});
        }
        // Labels of edges between the same two states, in the same direction, are stacked on one curve.
        Map<String, List<Edge>> byPair = new LinkedHashMap<>();
        for (Edge e : edges) {
            byPair.computeIfAbsent(e.from() + "\u0000" + e.to(), k -> new ArrayList<>()).add(e);
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"state-diagram\" viewBox=\"0 0 %d %d\" "
                + "role=\"img\" aria-label=\"%s\">%n", width, height, Html.escape(title)));
        svg.append("<title>").append(Html.escape(title)).append("</title>\n");
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
                + "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker></defs>\n");
        double boxW = 130;
        double boxH = 44;
        for (Map.Entry<String, List<Edge>> pair : byPair.entrySet()) {
            Edge first = pair.getValue().getFirst();
            double[] a = at.get(first.from());
            double[] b = at.get(first.to());
            // Bow away from the diagram's centre, so that labels sit outside; of an edge and its reverse, the
            // one that goes against the order of the states bows inwards, so that the two do not overlap.
            double mx0 = (a[0] + b[0]) / 2;
            double my0 = (a[1] + b[1]) / 2;
            double ox = mx0 - cx;
            double oy = my0 - cy;
            double olen = Math.hypot(ox, oy);
            if (olen < 1) {
                ox = -(b[1] - a[1]);
                oy = b[0] - a[0];
                olen = Math.hypot(ox, oy);
            }
            ox /= olen;
            oy /= olen;
            boolean reverse = byPair.containsKey(first.to() + "\u0000" + first.from())
                    && states.indexOf(first.from()) > states.indexOf(first.to());
            double bend = reverse ? -45 : 55;
            double mx = mx0 + ox * bend;
            double my = my0 + oy * bend;
            double[] start = border(a, mx, my, boxW, boxH);
            double[] end = border(b, mx, my, boxW, boxH);
            svg.append(String.format("<path class=\"edge\" d=\"M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f\" fill=\"none\" stroke=\"#333\" "
                    + "stroke-width=\"1.6\" marker-end=\"url(#arrow)\"/>%n", start[0], start[1], mx, my, end[0], end[1]));
            double side = reverse ? -1 : 1;
            double lx = (start[0] + 2 * mx + end[0]) / 4 + side * ox * 10;   // the curve's midpoint, then a little further
            double ly = (start[1] + 2 * my + end[1]) / 4 + side * oy * 10;
            List<String> labels = new ArrayList<>();
            for (Edge e : pair.getValue()) {
                labels.add(e.event());
                if (e.note() != null) {
                    labels.add("(" + e.note() + ")");
                }
            }
            double dirX = side * ox;
            double dirY = side * oy;
            String anchor = Math.abs(dirX) < 0.35 ? "middle" : dirX > 0 ? "start" : "end";
            double top = ly + (dirY > 0.35 ? 12 : dirY < -0.35 ? -4 - 16 * (labels.size() - 1) : 4 - 8 * (labels.size() - 1));
            for (int i = 0; i < labels.size(); i++) {
                svg.append(String.format("<text class=\"event\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"13\" "
                                + "font-family=\"sans-serif\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"4\">%s</text>%n",
                        lx, top + i * 16, anchor, Html.escape(labels.get(i))));
            }
        }
        for (Map.Entry<String, double[]> s : at.entrySet()) {
            double[] p = s.getValue();
            svg.append(String.format("<g class=\"state\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.0f\" height=\"%.0f\" rx=\"10\" "
                            + "fill=\"#eef4fb\" stroke=\"#1f5f9f\" stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                            + "font-size=\"15\" font-weight=\"bold\" font-family=\"sans-serif\">%s</text></g>%n",
                    p[0] - boxW / 2, p[1] - boxH / 2, boxW, boxH, p[0], p[1] + 5, Html.escape(s.getKey())));
        }
        return svg.append("</svg>\n").toString();
    }

    /** Where the line from a box's centre towards (tx, ty) leaves the box. */
    private static double[] border(double[] centre, double tx, double ty, double w, double h) {
        double dx = tx - centre[0];
        double dy = ty - centre[1];
        double scale = 1 / Math.max(Math.abs(dx) / (w / 2), Math.abs(dy) / (h / 2));
        return new double[] {centre[0] + dx * scale, centre[1] + dy * scale};
    }
}
