package dev.pypianalytics.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version ordered as PEP 440 orders it (epoch, release numbers with trailing zeros ignored, then
 * dev &lt; pre-release &lt; release &lt; post-release), so 1.10 comes after 1.9 and 2.0rc1 before 2.0. Strings
 * that are not PEP 440 versions sort before every valid one, among themselves by text.
 */
public final class Pep440Version implements Comparable<Pep440Version> {

    private static final Pattern SYNTAX = Pattern.compile(
            "v?(?:(\\d+)!)?(\\d+(?:\\.\\d+)*)"
                    + "(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\\d*))?"
                    + "(?:-(\\d+)|[-_.]?(?:post|rev|r)[-_.]?(\\d*))?"
                    + "(?:[-_.]?dev[-_.]?(\\d*))?"
                    + "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?");

    private static final Comparator<Pep440Version> ORDER = Comparator
            .comparing((Pep440Version v) -> v.valid)
            .thenComparing(v -> v.valid ? "" : v.text)
            .thenComparingLong(v -> v.epoch)
            .thenComparing(v -> v.release, Pep440Version::compareRelease)
            .thenComparingLong(v -> v.preKey)
            .thenComparingLong(v -> v.postKey)
            .thenComparingLong(v -> v.devKey)
            .thenComparing(v -> v.local);

    private final String text;
    private final boolean valid;
    private final long epoch;
    private final List<Long> release;
    private final long preKey;
    private final long postKey;
    private final long devKey;
    private final String local;
    private final boolean preRelease;

    private Pep440Version(String text) {
        this.text = text;
        Matcher m = SYNTAX.matcher(text.strip().toLowerCase(Locale.ROOT));
        valid = m.matches();
        if (!valid) {
            epoch = 0;
            release = List.of();
            preKey = postKey = devKey = 0;
            local = "";
            preRelease = false;
            return;
        }
        epoch = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        List<Long> numbers = new ArrayList<>();
        for (String part : m.group(2).split("\\.")) {
            numbers.add(Long.parseLong(part));
        }
        while (numbers.size() > 1 && numbers.getLast() == 0) {
            numbers.removeLast();
        }
        release = List.copyOf(numbers);
        boolean hasPre = m.group(3) != null;
        boolean hasPost = m.group(5) != null || m.group(6) != null;
        boolean hasDev = m.group(7) != null;
        long pre = hasPre ? phase(m.group(3)) * 1_000_000_000L + number(m.group(4)) : 0;
        // A bare dev release (1.0.dev1) comes before any pre-release of 1.0; no pre-release comes after all of them.
        preKey = hasPre ? pre : hasDev && !hasPost ? Long.MIN_VALUE : Long.MAX_VALUE;
        postKey = hasPost ? number(m.group(5) != null ? m.group(5) : m.group(6)) : Long.MIN_VALUE;
        devKey = hasDev ? number(m.group(7)) : Long.MAX_VALUE;
        local = m.group(8) == null ? "" : m.group(8);
        preRelease = hasPre || hasDev;
    }

    public static Pep440Version parse(String text) {
        return new Pep440Version(text);
    }

    /** A pre-release or development release (pip skips these unless asked). */
    public boolean preRelease() {
        return valid && preRelease;
    }

    public boolean valid() {
        return valid;
    }

    /** The greatest final release, or the greatest version if all are pre-releases; {@code null} for none. */
    public static String latest(List<String> versions) {
        return versions.stream().map(Pep440Version::parse)
                .max(Comparator.comparing((Pep440Version v) -> v.valid && !v.preRelease).thenComparing(ORDER))
                .map(v -> v.text).orElse(null);
    }

    @Override
    public int compareTo(Pep440Version other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return text;
    }

    private static int compareRelease(List<Long> a, List<Long> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            long x = i < a.size() ? a.get(i) : 0;
            long y = i < b.size() ? b.get(i) : 0;
            if (x != y) {
                return Long.compare(x, y);
            }
        }
        return 0;
    }

    private static long phase(String label) {
        return switch (label) {
            case "a", "alpha" -> 0;
            case "b", "beta" -> 1;
            default -> 2; // c, rc, pre, preview
        };
    }

    private static long number(String digits) {
        return digits == null || digits.isEmpty() ? 0 : Long.parseLong(digits);
    }
}
