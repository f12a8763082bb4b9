package dev.pypianalytics.downloads;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A project name in PEP 503's normalized form, the form the warehouse stores names in: lower case, runs of
 * {@code -}, {@code _} and {@code .} as one {@code -}. Used for the names the API is asked about and for
 * the names in requirements, so both match the warehouse's.
 */
public final class Pep503 {

    private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

    private Pep503() {
    }

    /** The normalized form of {@code name} (no validation: any text is normalized the same way). */
    public static String normalize(String name) {
        return SEPARATORS.matcher(name).replaceAll("-").toLowerCase(Locale.ROOT);
    }
}
