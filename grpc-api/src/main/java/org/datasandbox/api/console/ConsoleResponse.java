package org.datasandbox.api.console;

import java.util.Objects;

/**
 * What a page answers: HTML with a status, or a redirect after an action (POST, then GET: a reload does not
 * repeat the action).
 *
 * @param location where a 303 redirect goes; null for a page
 */
record ConsoleResponse(int status, String html, String location) {
    ConsoleResponse {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP status. Provided value: " + status);
        }
        Objects.requireNonNull(html, "html");
        if (status == 303 && (location == null || !location.startsWith("/"))) {
            throw new IllegalArgumentException("a redirect needs a location on this console");
        }
    }

    static ConsoleResponse html(int status, String html) {
        return new ConsoleResponse(status, html, null);
    }

    static ConsoleResponse redirect(String location) {
        return new ConsoleResponse(303, "", location);
    }
}
