package dev.cdc.management;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRuleResult;
import io.micronaut.security.rules.SensitiveEndpointRule;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

/**
 * Lets a request into a sensitive management endpoint when it authenticated as the management user
 * ({@link ManagementAuthenticationProvider} gives that user the role {@link #ROLE}). Micronaut Security refuses
 * every sensitive endpoint until an application says who may use them; non-sensitive ones (/health, /prometheus)
 * stay open.
 */
@Singleton
@Replaces(SensitiveEndpointRule.class)
public class ManagementEndpointRule extends SensitiveEndpointRule {

    public static final String ROLE = "MANAGEMENT";

    public ManagementEndpointRule(EndpointSensitivityProcessor endpointSensitivityProcessor) {
        super(endpointSensitivityProcessor);
    }

    @Override
    @NonNull
    protected Publisher<SecurityRuleResult> checkSensitiveAuthenticated(@NonNull HttpRequest<?> request,
                                                                        @NonNull Authentication authentication,
                                                                        @NonNull ExecutableMethod<?, ?> method) {
        return Publishers.just(authentication.getRoles().contains(ROLE) ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
    }
}
