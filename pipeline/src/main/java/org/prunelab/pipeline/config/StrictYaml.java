package org.prunelab.pipeline.config;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.prunelab.stages.config.ConfigException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Refuses the YAML constructs that let a config say something other than what it seems to say,
 * before any value is read. Jackson's YAML reader accepts all of them silently: a repeated key
 * keeps the last value (a second {@code train:} block resets every earlier train setting), an
 * alias {@code *d} is read as the text "d", and {@code key: ~} quietly means "the default".
 *
 * <p>Rules, each an error naming the file, the line and the dotted key:
 * <ul>
 *   <li>a key appears at most once per mapping;</li>
 *   <li>no anchors ({@code &a}) and no aliases ({@code *a}, hence no merge keys {@code <<: *a}):
 *       a config is small, and a value copied by reference is a value a reader cannot see where it
 *       is used; write the value out;</li>
 *   <li>no nulls ({@code key: ~}, {@code key: null}, {@code key:} with nothing after it): to use a
 *       default, leave the key out;</li>
 *   <li>no explicit tags other than YAML's own scalar types ({@code !!str}, {@code !!int},
 *       {@code !!float}, {@code !!bool}); nothing is ever instantiated from a tag;</li>
 *   <li>mapping keys are plain text, and a file holds one document.</li>
 * </ul>
 * Walks SnakeYAML's event stream (no object construction), which keeps line numbers exact.
 */
final class StrictYaml {
    private static final Pattern NULL_WORD = Pattern.compile("~|null|Null|NULL|");
    private static final Set<String> SCALAR_TAGS = Set.of("tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "!");

    private StrictYaml() {
    }

    /** One open mapping or sequence: its dotted path, and (for mappings) the keys seen and the current key. */
    private static final class Frame {
        final boolean mapping;
        final String path;
        final Map<String, Integer> keyLines = new HashMap<>();
        String pendingKey;
        int index;

        Frame(boolean mapping, String path) {
            this.mapping = mapping;
            this.path = path;
        }

        String childPath() {
            String child = mapping ? pendingKey : "[" + index + "]";
            return path.isEmpty() ? child : mapping ? path + "." + child : path + child;
        }

        void valueDone() {
            pendingKey = null;
            index++;
        }
    }

    /** Throws {@link ConfigException} at the first offending construct; {@code file} names the source. */
    static void check(String text, String file) {
        Yaml yaml = new Yaml(new LoaderOptions());
        Deque<Frame> stack = new ArrayDeque<>();
        int documents = 0;
        try {
            for (Event event : yaml.parse(new StringReader(text))) {
                int line = event.getStartMark() == null ? 0 : event.getStartMark().getLine() + 1;
                if (event instanceof DocumentStartEvent) {
                    if (++documents > 1) {
                        throw error(file, line, "a second YAML document ('---'); a config is one document");
                    }
                    continue;
                }
                Frame top = stack.peek();
                if (event.is(Event.ID.MappingEnd) || event.is(Event.ID.SequenceEnd)) {
                    stack.pop();
                    if (stack.peek() != null) {
                        stack.peek().valueDone();
                    }
                    continue;
                }
                if (!(event instanceof NodeEvent node)) {
                    continue; // stream and document ends
                }
                boolean isKey = top != null && top.mapping && top.pendingKey == null;
                String where = top == null ? "" : isKey ? top.path : top.childPath();
                if (event instanceof AliasEvent alias) {
                    throw error(file, line, at(where) + "alias '*" + alias.getAnchor() + "': anchors and aliases"
                            + " are not supported (an alias would be read as its name); write the value out");
                }
                if (node.getAnchor() != null) {
                    throw error(file, line, at(where) + "anchor '&" + node.getAnchor() + "': anchors and aliases"
                            + " are not supported; write each value out where it is used");
                }
                if (isKey) {
                    if (!(event instanceof ScalarEvent scalar)) {
                        throw error(file, line, at(top.path) + "a key must be plain text, not a list or mapping");
                    }
                    String key = scalar.getValue();
                    Integer first = top.keyLines.putIfAbsent(key, line);
                    if (first != null) {
                        String dotted = top.path.isEmpty() ? key : top.path + "." + key;
                        throw error(file, line, "duplicate key '" + dotted + "' (first at line " + first
                                + "); a key may appear only once, merge the two");
                    }
                    top.pendingKey = key;
                    continue;
                }
                if (event instanceof ScalarEvent scalar) {
                    checkScalar(scalar, file, line, where);
                    if (top != null) {
                        top.valueDone();
                    }
                } else if (event instanceof CollectionStartEvent collection) {
                    if (collection.getTag() != null && !collection.getImplicit()) {
                        throw error(file, line, at(where) + "tag '" + collection.getTag() + "' is not supported");
                    }
                    stack.push(new Frame(event.is(Event.ID.MappingStart), where));
                }
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw error(file, line, "not valid YAML: " + e.getProblem());
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
        }
    }

    private static void checkScalar(ScalarEvent scalar, String file, int line, String where) {
        String tag = scalar.getTag();
        boolean explicitTag = tag != null && !scalar.getImplicit().canOmitTagInPlainScalar()
                && !scalar.getImplicit().canOmitTagInNonPlainScalar();
        if (explicitTag && !SCALAR_TAGS.contains(tag)) {
            throw error(file, line, at(where) + "tag '" + tag + "' is not supported (only !!str, !!int, !!float,"
                    + " !!bool); nothing is ever constructed from a config");
        }
        if ("tag:yaml.org,2002:null".equals(tag)
                || (!explicitTag && scalar.isPlain() && NULL_WORD.matcher(scalar.getValue()).matches())) {
            throw error(file, line, at(where) + "no value (null"
                    + (scalar.getValue().isEmpty() ? "" : " '" + scalar.getValue() + "'")
                    + "); give a value, or remove the key to use its default");
        }
    }

    private static String at(String path) {
        return path.isEmpty() ? "" : "key '" + path + "': ";
    }

    private static ConfigException error(String file, int line, String problem) {
        return new ConfigException(file + (line > 0 ? ", line " + line : "") + ": " + problem);
    }
}
