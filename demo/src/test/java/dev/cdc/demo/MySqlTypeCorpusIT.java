package dev.cdc.demo;

import dev.cdc.localstack.DatabaseKind;
import dev.cdc.localstack.MySqlBinaries;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** {@link TypeCorpusIT} with MySQL as the source, the target and the store (the types both servers share). */
class MySqlTypeCorpusIT extends TypeCorpusIT {

    @Override
    DatabaseKind kind() {
        Optional<String> unsupported = MySqlBinaries.whyUnsupported();
        unsupported.ifPresent(System.out::println);
        Assumptions.assumeTrue(unsupported.isEmpty(), unsupported.orElse(""));
        return DatabaseKind.MYSQL;
    }

    @Override
    List<String> tables() {
        return SHARED_TABLES;
    }

    @Override
    List<String> fixtures() {
        return List.of("sql/type-corpus", "sql/type-corpus-zero");
    }
}
