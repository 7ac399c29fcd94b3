package dev.cdc.processor.apply;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cdc.processor.event.PoisonEventException;
import java.net.ConnectException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void unavailableTargetIsTransient() {
        assertTrue(FailureClassifier.isTransient(new SQLTransientConnectionException("pool timeout")));
        assertTrue(FailureClassifier.isTransient(new SQLNonTransientConnectionException("closed")));
        assertTrue(FailureClassifier.isTransient(new SQLRecoverableException("communications link failure")));
        assertTrue(FailureClassifier.isTransient(new SQLException("link", "08S01", 0)));
        assertTrue(FailureClassifier.isTransient(new SQLTransactionRollbackException("deadlock", "40001", 1213)));
        assertTrue(FailureClassifier.isTransient(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
        assertTrue(FailureClassifier.isTransient(new SQLException("read only", "HY000", 1290)));
        assertTrue(FailureClassifier.isTransient(new SQLException("Access denied", "28000", 1045)));
        assertTrue(FailureClassifier.isTransient(new SQLException("wrapped", new ConnectException("refused"))));
        assertTrue(FailureClassifier.isTransient(new RuntimeException(new SQLTransientConnectionException("x"))));
    }

    @Test
    void badDataIsNotTransient() {
        assertFalse(FailureClassifier.isTransient(new SQLDataException("Data too long for column 'name'", "22001", 1406)));
        assertFalse(FailureClassifier.isTransient(new SQLIntegrityConstraintViolationException("Column 'name' cannot be null", "23000", 1048)));
        assertFalse(FailureClassifier.isTransient(new SQLException("Incorrect datetime value", "22007", 1292)));
        assertFalse(FailureClassifier.isTransient(new SQLException("Unknown column", "42S22", 1054)));
        assertFalse(FailureClassifier.isTransient(new PoisonEventException("unsupported event format version v=2")));
        assertFalse(FailureClassifier.isTransient(new IllegalArgumentException("bad base64")));
    }
}
