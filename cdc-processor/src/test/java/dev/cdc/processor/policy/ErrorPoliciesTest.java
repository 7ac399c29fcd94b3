package dev.cdc.processor.policy;

import dev.cdc.contract.OperatorFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorPoliciesTest {

    @Test
    void theDefaultAppliesToEveryTableWithoutItsOwnEntry() {
        ErrorPolicies p = new ErrorPolicies("stop", List.of("shop.audit_log=dead-letter", " Shop.Notes = DEAD_LETTER "));
        assertEquals(ErrorPolicy.STOP, p.of("shop.customers"));
        assertEquals(ErrorPolicy.DEAD_LETTER, p.of("shop.audit_log"));
        assertEquals(ErrorPolicy.DEAD_LETTER, p.of("shop.notes"));
        assertEquals(ErrorPolicy.DEAD_LETTER, new ErrorPolicies("dead-letter", List.of()).of("shop.customers"));
        assertEquals(ErrorPolicy.STOP, new ErrorPolicies("dead-letter", List.of("shop.customers=stop")).of("SHOP.customers"));
    }

    @Test
    void badSettingsAreOneLineNamingTheKey() {
        OperatorFailure unknown = assertThrows(OperatorFailure.class, () -> new ErrorPolicies("skip", List.of()));
        assertEquals("cdc.processor.error-policy 'skip' is not a policy. Fix: use stop (the default) or dead-letter.", unknown.getMessage());
        for (String entry : List.of("shop.audit_log", "audit_log=stop", "shop.audit_log=ignore", "a.b.c=stop")) {
            OperatorFailure e = assertThrows(OperatorFailure.class, () -> new ErrorPolicies("stop", List.of(entry)));
            assertTrue(e.getMessage().startsWith("cdc.processor.error-policy-tables entry '" + entry + "' is not <db>.<table>=<policy>"), e.getMessage());
        }
    }

    @Test
    void theTableOfATopicIsItsLastTwoSegments() {
        assertEquals("shop.items", ErrorPolicies.tableOfTopic("demo.shop.items"));
        assertEquals("shop.items", ErrorPolicies.tableOfTopic("a.b.shop.items"));
    }
}
