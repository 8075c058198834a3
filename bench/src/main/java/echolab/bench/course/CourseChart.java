package echolab.bench.course;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;

/**
 * The course's charts: one value per server as bars, the lesson's own server in a strong colour and the
 * others muted, written as SVG with XChart so that the page can be printed sharp.
 */
final class CourseChart {

    static final Color HIGHLIGHT = new Color(0x1f, 0x5f, 0x9f);
    static final Color OTHERS = new Color(0xa8, 0xb8, 0xc8);

    /** One bar: a server's label and its value. */
    record Bar(String label, double value, boolean highlighted) {
    }

    private CourseChart() {
    }

    /** Writes {@code dir/name.svg}; returns the file's name. */
    static String bars(Path dir, String name, String title, String yTitle, List<Bar> bars, boolean logarithmic) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(720).height(360).title(title).yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        if (logarithmic) {
            chart.getStyler().setYAxisMin(0.1);           // bars start from the axis' minimum, which a log axis must keep above 0
        }
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        List<String> labels = new ArrayList<>();
        List<Double> strong = new ArrayList<>();
        List<Double> muted = new ArrayList<>();
        for (Bar b : bars) {
            labels.add(b.label());
            double v = logarithmic ? Math.max(b.value(), 0.1) : Math.max(b.value(), 0);
            strong.add(b.highlighted() ? v : 0.0);
            muted.add(b.highlighted() ? 0.0 : v);
        }
        if (labels.isEmpty()) {
            labels.add("no data");
            strong.add(0.0);
            muted.add(0.0);
        }
        if (logarithmic) {                                 // a log axis takes no zeros: one series, one colour
            List<Double> all = new ArrayList<>();
            for (int i = 0; i < labels.size(); i++) {
                all.add(Math.max(strong.get(i), muted.get(i)));
            }
            chart.addSeries("servers", labels, all).setFillColor(HIGHLIGHT);
        } else {
            chart.addSeries("others", labels, muted).setFillColor(OTHERS);
            chart.addSeries("this model", labels, strong).setFillColor(HIGHLIGHT);
        }
        Files.createDirectories(dir);
        VectorGraphicsEncoder.saveVectorGraphic(chart, dir.resolve(name).toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        return name + ".svg";
    }
}
