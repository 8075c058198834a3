package echolab.bench.results;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table as data: columns, each a header and an alignment, and rows of cells as text. One type for every
 * table the tools print (summary.md, compare, the gate, the course's pages), rendered to Markdown or to
 * HTML, so that no report counts {@code |---:|} by hand or matches fifteen {@code %s} to fifteen values.
 */
public final class Table {

    /** Text columns read from the left; figures are right-aligned so that their digits line up. */
    public enum Align { LEFT, RIGHT }

    public record Column(String header, Align align) {
    }

    private final List<Column> columns;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(Column... columns) {
        this.columns = List.of(columns);
    }

    public static Column text(String header) {
        return new Column(header, Align.LEFT);
    }

    public static Column figure(String header) {
        return new Column(header, Align.RIGHT);
    }

    /** Adds a row; a null cell is empty, anything else is its {@code toString()}. One cell per column, or IllegalArgumentException. */
    public Table row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns: " + Arrays.toString(cells));
        }
        rows.add(Arrays.stream(cells).map(c -> c == null ? "" : c.toString()).toList());
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** GitHub-flavoured Markdown: the header, the alignment row, then one line per row. */
    public String markdown() {
        StringBuilder s = new StringBuilder();
        line(s, columns.stream().map(Column::header).toList());
        s.append('|');
        columns.forEach(c -> s.append(c.align() == Align.RIGHT ? "---:|" : "---|"));
        s.append('\n');
        rows.forEach(r -> line(s, r));
        return s.toString();
    }

    /** HTML, every cell escaped; right-aligned cells carry class "num". */
    public String html() {
        StringBuilder s = new StringBuilder("<table><thead><tr>");
        columns.forEach(c -> s.append("<th>").append(escape(c.header())).append("</th>"));
        s.append("</tr></thead><tbody>\n");
        for (List<String> r : rows) {
            s.append("<tr>");
            for (int i = 0; i < r.size(); i++) {
                s.append(columns.get(i).align() == Align.RIGHT ? "<td class=\"num\">" : "<td>").append(escape(r.get(i))).append("</td>");
            }
            s.append("</tr>\n");
        }
        return s.append("</tbody></table>").toString();
    }

    private static void line(StringBuilder s, List<String> cells) {
        s.append('|');
        cells.forEach(c -> s.append(' ').append(c).append(" |"));
        s.append('\n');
    }

    /** The five characters HTML gives a meaning to. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
