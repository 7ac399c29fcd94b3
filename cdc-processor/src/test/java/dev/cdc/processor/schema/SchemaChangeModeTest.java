package dev.cdc.processor.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchemaChangeMode.parse("all"));
        assertEquals("cdc.processor.schema-changes is 'all': set it to mirror, additive or none", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SchemaChangeMode.parse(null));
    }
}
