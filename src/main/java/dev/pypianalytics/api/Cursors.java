package dev.pypianalytics.api;

import dev.pypianalytics.downloads.ProjectSearch;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque page cursors: a versioned (downloads, project) position, base64url-encoded. */
final class Cursors {

    private static final String VERSION = "p1";

    private Cursors() {
    }

    static String encode(ProjectSearch.Hit position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (VERSION + ":" + position.downloads() + ":" + position.project()).getBytes(StandardCharsets.UTF_8));
    }

    static ProjectSearch.Hit decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 3);
            if (parts.length != 3 || !parts[0].equals(VERSION) || parts[2].isEmpty()) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new ProjectSearch.Hit(parts[2], Long.parseLong(parts[1]));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("after is not a cursor from this API: pass the endCursor of the previous page.");
        }
    }
}
