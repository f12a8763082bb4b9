package dev.pypianalytics.api;

import dev.pypianalytics.downloads.Pep503;

import java.util.regex.Pattern;

/**
 * A PEP 508-valid project name in its PEP 503-normalized form ({@link Pep503}), the form the warehouse
 * stores names in, so lookups use the normalized value.
 *
 * @param value the normalized name
 */
public record ProjectName(String value) {

    /** PyPI caps names well below this; anything longer is not a name. */
    static final int MAX_LENGTH = 200;

    private static final Pattern VALID = Pattern.compile("^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", Pattern.CASE_INSENSITIVE);

    /** Validates and normalizes; an invalid name is an {@link InvalidInputException} that says why. */
    public static ProjectName of(String raw) {
        String name = raw == null ? "" : raw.strip();
        if (name.isEmpty()) {
            throw new InvalidInputException("A project name is required.");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidInputException("A project name has at most " + MAX_LENGTH + " characters.");
        }
        if (!VALID.matcher(name).matches()) {
            throw new InvalidInputException("\"" + abbreviate(name) + "\" is not a valid project name: use letters, digits, "
                    + "'.', '_' and '-', starting and ending with a letter or digit (PEP 508).");
        }
        return new ProjectName(Pep503.normalize(name));
    }

    static String abbreviate(String name) {
        return name.length() <= 60 ? name : name.substring(0, 60) + "…";
    }
}
