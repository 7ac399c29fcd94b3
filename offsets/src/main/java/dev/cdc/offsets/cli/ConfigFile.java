package dev.cdc.offsets.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The connector's {@code application.yml}, read the way Micronaut would for the few keys the CLI needs: nested maps
 * and dotted keys are equivalent ({@code cdc: {store: {url: ..}}} = {@code cdc.store.url: ..}), kebab-case and camelCase
 * are equivalent ({@code topic-prefix} = {@code topicPrefix}), and {@code ${NAME}} / {@code ${NAME:default}}
 * placeholders are resolved from the environment.
 */
final class ConfigFile {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    private final Path path;
    private final Map<String, String> values;
    private final Map<String, String> env;

    private ConfigFile(Path path, Map<String, String> values, Map<String, String> env) {
        this.path = path;
        this.values = values;
        this.env = env;
    }

    static ConfigFile none(Map<String, String> env) {
        return new ConfigFile(null, Map.of(), env);
    }

    static ConfigFile load(Path path, Map<String, String> env) {
        Map<String, String> flat = new LinkedHashMap<>();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (document instanceof Map<?, ?> map) {
                    flatten("", map, flat);
                } else if (document != null) {
                    throw CliException.usage("Config file " + path + " is not a YAML map of settings",
                            "pass the connector's application.yml with --config");
                }
            }
        } catch (NoSuchFileException e) {
            throw CliException.usage("Config file " + path + " does not exist", "pass the path of the connector's application.yml with --config");
        } catch (IOException e) {
            throw CliException.usage("Config file " + path + " cannot be read (" + Text.rootCause(e) + ")",
                    "check the path and its permissions");
        } catch (YAMLException e) {
            throw CliException.usage("Config file " + path + " is not valid YAML (" + Text.oneLine(e.getMessage()) + ")",
                    "fix the file or pass the settings as flags");
        }
        return new ConfigFile(path, flat, env);
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object value = e.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out);
            } else if (value != null && !(value instanceof List<?>)) {
                out.put(normalize(key), value.toString());
            }
        }
    }

    /** {@code cdc.topic-prefix}, {@code cdc.topicPrefix} and {@code CDC.TOPIC_PREFIX} are one key. */
    static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Where the file is, for messages; null when no file was given. */
    Path path() {
        return path;
    }

    /**
     * The value of a key with its placeholders resolved, or null when the file does not set it.
     *
     * @throws CliException when a placeholder names an environment variable that is not set and has no default
     */
    String get(String key) {
        String raw = values.get(normalize(key));
        if (raw == null) {
            return null;
        }
        Matcher m = PLACEHOLDER.matcher(raw);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).trim();
            String resolved = lookup(name);
            if (resolved == null) {
                resolved = m.group(2);
            }
            if (resolved == null) {
                throw CliException.usage(key + " in " + path + " refers to ${" + name + "}, which is not set",
                        "export " + envName(name) + " or pass the setting as a flag");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(sb);
        String value = sb.toString().trim();
        return value.isEmpty() ? null : value;
    }

    private String lookup(String name) {
        String v = env.get(name);
        if (v == null) {
            v = env.get(envName(name));
        }
        if (v == null && !name.equals(envName(name))) {
            String own = values.get(normalize(name));
            v = own != null && !PLACEHOLDER.matcher(own).find() ? own : null;
        }
        return v;
    }

    /** {@code cdc.store.password} → {@code CDC_STORE_PASSWORD}, as Micronaut maps environment variables. */
    static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
