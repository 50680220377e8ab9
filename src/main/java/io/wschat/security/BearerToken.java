package io.wschat.security;

/** Reads the credential of an {@code Authorization: Bearer <credential>} header (RFC 6750; the scheme is case-insensitive). */
public final class BearerToken {

    private static final String SCHEME = "bearer ";

    private BearerToken() {
    }

    /** The credential, stripped, or null when the header is absent, of another scheme, or empty. */
    public static String from(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String credential = authorizationHeader.substring(SCHEME.length()).strip();
        return credential.isEmpty() ? null : credential;
    }
}
