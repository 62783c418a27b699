package org.betaas.shell.things;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.betaas.api.things.Measurement;

/** How measurements and ages read in the shell. */
final class Values {

    private Values() {
    }

    static String value(Measurement m) {
        Object v = m.value();
        String text = v instanceof Double d ? (d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue())
                : String.format(Locale.ROOT, "%.4g", d).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", ""))
                : String.valueOf(v);
        return m.unit().isEmpty() ? text : text + " " + m.unit();
    }

    /** e.g. {@code temperature=21.3 Cel, humidity=40 %RH}. */
    static String summary(List<Measurement> values) {
        StringBuilder s = new StringBuilder();
        for (Measurement m : values) {
            if (s.length() > 0) {
                s.append(", ");
            }
            if (!m.name().isEmpty()) {
                s.append(m.name()).append('=');
            }
            s.append(value(m));
        }
        return s.toString();
    }

    static String ago(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        if (d.isNegative()) {
            return "in the future";
        }
        long s = d.getSeconds();
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86400) {
            return s / 3600 + " h ago";
        }
        return s / 86400 + " d ago";
    }
}
