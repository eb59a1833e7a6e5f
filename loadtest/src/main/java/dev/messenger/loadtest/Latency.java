package dev.messenger.loadtest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;

/** A thread-safe latency recording (microseconds, HdrHistogram) and its summary. */
final class Latency {
    private final Recorder recorder = new Recorder(Duration.ofMinutes(5).toNanos() / 1000, 3);
    private final Histogram total = new Histogram(Duration.ofMinutes(5).toNanos() / 1000, 3);

    void record(long nanos) {
        recorder.recordValue(Math.max(1, Math.min(nanos / 1000, total.getHighestTrackableValue())));
    }

    /** Everything recorded so far. */
    synchronized Histogram histogram() {
        total.add(recorder.getIntervalHistogram());
        return total;
    }

    String summary() {
        Histogram h = histogram();
        if (h.getTotalCount() == 0) {
            return "no samples";
        }
        return String.format("p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (n=%d)",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount());
    }

    JsonObject json() {
        Histogram h = histogram();
        return Json.createObjectBuilder()
                .add("count", h.getTotalCount())
                .add("p50_ms", h.getValueAtPercentile(50) / 1000.0)
                .add("p90_ms", h.getValueAtPercentile(90) / 1000.0)
                .add("p99_ms", h.getValueAtPercentile(99) / 1000.0)
                .add("p99_9_ms", h.getValueAtPercentile(99.9) / 1000.0)
                .add("max_ms", h.getMaxValue() / 1000.0)
                .build();
    }

    double p99Millis() {
        return histogram().getValueAtPercentile(99) / 1000.0;
    }

    private static String ms(long micros) {
        return String.format("%.2f ms", micros / 1000.0);
    }
}
