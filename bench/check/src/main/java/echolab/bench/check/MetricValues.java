package echolab.bench.check;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One version of one server measured once: a value per metric. A metric that run could not produce
 * (e.g. the server printed no stop summary) is absent, with the reason in {@code missing}.
 */
record MetricValues(Map<Metric, Double> values, Map<Metric, String> missing) {

    MetricValues {
        values = Collections.unmodifiableMap(new EnumMap<>(values));
        missing = missing.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(missing));
    }
}
