package org.betaas.api.bigdata;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;

import org.junit.Test;

public class DurationTextTest {

    @Test
    public void aNumberWithALowerCaseUnit() {
        assertEquals(Duration.ofSeconds(30), DurationText.parse("30s"));
        assertEquals(Duration.ofMinutes(15), DurationText.parse("15m"));
        assertEquals(Duration.ofHours(6), DurationText.parse("6h"));
        assertEquals(Duration.ofDays(7), DurationText.parse("7d"));
        assertEquals(Duration.ofMinutes(15), DurationText.parse(" 15m "));
        assertEquals(Duration.ofSeconds(999_999_999), DurationText.parse("999999999s"));
        assertEquals(Duration.ofDays(36_500), DurationText.parse("36500d"));
    }

    @Test
    public void iso8601InAnyCase() {
        assertEquals(Duration.ofMinutes(15), DurationText.parse("PT15M"));
        assertEquals(Duration.ofMinutes(15), DurationText.parse("pt15m"));
        assertEquals(Duration.ofDays(1), DurationText.parse("p1d"));
        assertEquals(Duration.ofDays(1).plusHours(2), DurationText.parse("P1DT2H"));
        assertEquals(Duration.ofMillis(500), DurationText.parse("PT0.5S"));
    }

    @Test
    public void anUpperCaseMIsAmbiguous() {
        String message = rejected("15M");
        assertTrue(message, message.startsWith("'15M' is ambiguous (minutes or months?)"));
        assertTrue(message, message.contains("write 15m or PT15M for minutes"));
    }

    @Test
    public void otherUpperCaseUnitsAreRefusedWithTheLowerCaseOne() {
        assertTrue(rejected("30S").startsWith("'30S' has an upper-case unit: write 30s"));
        assertTrue(rejected("6H").startsWith("'6H' has an upper-case unit: write 6h"));
        assertTrue(rejected("7D").startsWith("'7D' has an upper-case unit: write 7d"));
    }

    @Test
    public void notADuration() {
        for (String bad : new String[] {"", " ", "15", "m", "15 m", "1.5h", "-1h", "+1h", "1w", "yesterday", "P",
                "PT", "P15M", "P1Y", "PTxM", "15ms", "-PT1M"}) {
            assertEquals(bad, "'" + bad + "' is not a duration: give " + DurationText.FORMS, rejected(bad));
        }
    }

    @Test
    public void zeroAndNegativeAreRefused() {
        for (String bad : new String[] {"0s", "0d", "PT0S", "PT-1M", "P-1D"}) {
            assertEquals(bad, "'" + bad + "' is not a positive duration: give " + DurationText.FORMS, rejected(bad));
        }
    }

    @Test
    public void atMostNineDigits() {
        assertEquals("'1000000000s' has more than 9 digits: give " + DurationText.FORMS, rejected("1000000000s"));
        assertTrue(rejected("0000000001m").startsWith("'0000000001m' has more than 9 digits"));
    }

    @Test
    public void atMostOneHundredYears() {
        assertEquals("'36501d' is longer than 100 years: give " + DurationText.FORMS, rejected("36501d"));
        assertTrue(rejected("999999999d").startsWith("'999999999d' is longer than 100 years"));
        assertTrue(rejected("P36501D").startsWith("'P36501D' is longer than 100 years"));
    }

    @Test
    public void nothingGiven() {
        assertEquals("No duration given: give " + DurationText.FORMS, rejected(null));
    }

    @Test
    public void theFormsNameEveryUnitAndIso8601() {
        for (String form : new String[] {"30s", "15m", "6h", "7d", "ISO-8601", "PT15M"}) {
            assertTrue(form, DurationText.FORMS.contains(form));
        }
    }

    private static String rejected(String text) {
        try {
            Duration d = DurationText.parse(text);
            fail(text + " was read as " + d);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
