package dev.cdc.processor.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cdc.contract.ExitStatus;
import dev.cdc.contract.OperatorFailure;
import org.junit.jupiter.api.Test;

class SchemaChangeModeTest {

    @Test
    void parsesTheThreeModesInAnyCase() {
        assertEquals(SchemaChangeMode.MIRROR, SchemaChangeMode.parse("mirror"));
        assertEquals(SchemaChangeMode.ADDITIVE, SchemaChangeMode.parse(" Additive "));
        assertEquals(SchemaChangeMode.NONE, SchemaChangeMode.parse("NONE"));
    }

    @Test
    void anyOtherValueNamesTheValidOnes() {
        OperatorFailure e = assertThrows(OperatorFailure.class, () -> SchemaChangeMode.parse("all"));
        assertEquals(ExitStatus.CONFIGURATION, e.status());
        assertEquals("processor: cdc.processor.schema-changes is 'all'. Fix: set it to mirror, additive or none.", e.line("processor"));
        assertThrows(OperatorFailure.class, () -> SchemaChangeMode.parse(null));
    }
}
