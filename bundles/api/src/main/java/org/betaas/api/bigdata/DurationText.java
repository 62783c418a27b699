package org.betaas.api.bigdata;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reading of the durations a user types for a measurement query ("since", "bucket"), shared by the shell
 * and the REST API: a number of at most 9 digits with a lower-case unit {@code s}, {@code m}, {@code h} or
 * {@code d} ({@code 30s}, {@code 15m}, {@code 6h}, {@code 7d}), or an ISO-8601 duration in any case
 * ({@code PT15M}, {@code p1d}); positive and at most 100 years. An upper-case unit is refused: {@code 15M} could be
 * minutes or months. Pure logic, no OSGi.
 */
public final class DurationText {

    /** The accepted forms, as messages and API documentation name them. */
    public static final String FORMS = "a number with a lower-case unit s, m, h or d (e.g. 30s, 15m, 6h, 7d) or an"
            + " ISO-8601 duration (e.g. PT15M)";
    /** The longest duration accepted. */
    public static final Duration MAX = Duration.ofDays(36_500);

    private static final Pattern SHORT = Pattern.compile("(\\d+)([smhdSMHD])");

    private DurationText() {
    }

    /**
     * The duration {@code text} (surrounding white space ignored) stands for.
     *
     * @throws IllegalArgumentException when it is not one; the message starts with the text in quotes and names the
     *                                  accepted forms
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("No duration given: give " + FORMS);
        }
        String t = text.strip();
        Duration d = null;
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            String digits = m.group(1);
            char unit = m.group(2).charAt(0);
            if (Character.isUpperCase(unit)) {
                throw new IllegalArgumentException(unit == 'M'
                        ? quote(text) + " is ambiguous (minutes or months?): write " + digits + "m or PT" + digits
                                + "M for minutes; months are not accepted"
                        : quote(text) + " has an upper-case unit: write " + digits + Character.toLowerCase(unit)
                                + " (units are lower-case) or " + FORMS);
            }
            if (digits.length() > 9) {
                throw new IllegalArgumentException(quote(text) + " has more than 9 digits: give " + FORMS);
            }
            long n = Long.parseLong(digits);
            d = switch (unit) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else if (t.startsWith("P") || t.startsWith("p")) {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null) {
            throw new IllegalArgumentException(quote(text) + " is not a duration: give " + FORMS);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(quote(text) + " is not a positive duration: give " + FORMS);
        }
        if (d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(quote(text) + " is longer than 100 years: give " + FORMS);
        }
        return d;
    }

    private static String quote(String text) {
        return "'" + text + "'";
    }
}
