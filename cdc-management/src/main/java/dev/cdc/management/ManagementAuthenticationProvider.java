package dev.cdc.management;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestAuthenticationProvider;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Checks the basic-auth credentials of a request to a sensitive management endpoint against
 * {@link ManagementCredentials}. Micronaut Security's {@code SensitiveEndpointRule} asks for them; the comparison
 * takes the same time whatever the mismatch, so a caller cannot guess the password byte by byte.
 */
@Singleton
public class ManagementAuthenticationProvider<B> implements HttpRequestAuthenticationProvider<B> {

    private final ManagementCredentials credentials;

    public ManagementAuthenticationProvider(ManagementCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public AuthenticationResponse authenticate(HttpRequest<B> request, AuthenticationRequest<String, String> authRequest) {
        if (!credentials.hasPassword()) {
            return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
        }
        boolean userMatches = same(credentials.getUser(), authRequest.getIdentity());
        boolean passwordMatches = same(credentials.getPassword(), authRequest.getSecret());
        return userMatches && passwordMatches
                ? AuthenticationResponse.success(credentials.getUser(), List.of(ManagementEndpointRule.ROLE))
                : AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    }

    private static boolean same(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
