package org.prunelab.stages.data.reber;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prunelab.stages.data.DataFormatException;

class ReberSetTest {
    @TempDir
    Path dir;

    private static final ReberSetGenerator.Settings SMALL = new ReberSetGenerator.Settings(400, 224, 176, 600, 10, 0.15);

    @Test
    void generatedSetHasTheAskedCountsNoDuplicatesAndCorrectLabels() {
        ReberSetGenerator.Split split = ReberSetGenerator.generate(SMALL, 5);
        assertEquals(600, split.train().size());
        assertEquals(200, split.test().size());
        Set<String> all = new HashSet<>();
        int valid = 0, foreign = 0;
        for (ReberSet set : new ReberSet[] {split.train(), split.test()}) {
            for (int i = 0; i < set.size(); i++) {
                assertTrue(all.add(set.string(i)), "duplicate " + set.string(i));
                assertEquals(ReberGrammar.accepts(set.string(i)), set.isValid(i), set.string(i));
                valid += set.isValid(i) ? 1 : 0;
                foreign += InvalidReberStrings.isOfKind(set.string(i), InvalidReberStrings.Kind.FOREIGN_LETTERS) ? 1 : 0;
            }
        }
        assertEquals(400, valid);
        assertEquals(224, foreign);
    }

    @Test
    void sameSeedSameSetOtherSeedOtherSet() {
        ReberSetGenerator.Split a = ReberSetGenerator.generate(SMALL, 5);
        ReberSetGenerator.Split b = ReberSetGenerator.generate(SMALL, 5);
        ReberSetGenerator.Split c = ReberSetGenerator.generate(SMALL, 6);
        assertEquals(a.train().strings(), b.train().strings());
        assertArrayEquals(a.test().valid(), b.test().valid());
        assertTrue(!a.train().strings().equals(c.train().strings()));
    }

    @Test
    void csvRoundTripKeepsOrderAndLabels() throws IOException {
        ReberSet set = ReberSetGenerator.generate(SMALL, 3).test();
        StringWriter out = new StringWriter();
        ReberCsv.write(set, out);
        assertTrue(out.toString().startsWith("string,valid\n"));
        Path file = dir.resolve("test.csv");
        Files.writeString(file, out.toString());
        ReberSet back = ReberCsv.read(file);
        assertEquals(set.strings(), back.strings());
        assertArrayEquals(set.valid(), back.valid());
    }

    @Test
    void readsTheAuthorsSpellingsAndAByteOrderMark() throws IOException {
        Path file = dir.resolve("authors.csv");
        Files.writeString(file, "\uFEFFvalid,string\nTrue,BTXSE\nfalse,BTXAE\n1,BPVVE\n", StandardCharsets.UTF_8);
        ReberSet set = ReberCsv.read(file);
        assertEquals(3, set.size(), "the byte-order mark must not cost the header or a row");
        assertEquals("BTXSE", set.string(0));
        assertArrayEquals(new boolean[] {true, false, true}, set.valid());
    }

    @Test
    void badFilesNameTheFileTheLineAndTheProblem() throws IOException {
        assertBad("no-header.csv", "BTXSE,1\nBPVVE,1\n", "the header must name the columns");
        assertBad("bad-label.csv", "string,valid\nBTXSE,1\nBPVVE,yes\n", "line 3: label 'yes'");
        assertBad("empty-string.csv", "string,valid\n,1\n", "line 2: empty string");
        assertBad("non-ascii.csv", "string,valid\nBTXéSE,0\n", "line 2, column 4: character U+00E9");
        assertBad("fields.csv", "string,valid\nBTXSE,1,3\n", "line 2: expected 2 fields");
        assertBad("extra-column.csv", "string,valid,x\nBTXSE,1,3\n", "expected exactly the columns");
        assertBad("only-header.csv", "string,valid\n", "no strings");
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, new byte[] {'s', 't', 'r', 'i', 'n', 'g', ',', 'v', 'a', 'l', 'i', 'd', '\n', 'B', (byte) 0xE9, ',', '1'});
        DataFormatException e = assertThrows(DataFormatException.class, () -> ReberCsv.read(latin1));
        assertTrue(e.getMessage().contains("latin1.csv: not UTF-8"), e.getMessage());
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> ReberCsv.read(dir.resolve("nope.csv")));
        assertTrue(missing.getMessage().contains("nope.csv"), missing.getMessage());
    }

    private void assertBad(String name, String content, String expected) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ReberCsv.read(file), name);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
    }

    @Test
    void statisticsCountLengthsPerLabel() {
        ReberSet set = new ReberSet(java.util.List.of("BTXSE", "BPVVE", "BTXAE", "BTSSXXTVPSE"),
                new boolean[] {true, true, false, true});
        ReberStatistics s = ReberStatistics.of(set);
        assertEquals(3, s.validCount());
        assertEquals(5, s.validMin());
        assertEquals(11, s.validMax());
        assertEquals(7.0, s.validMean(), 1e-12);
        assertEquals(5, s.invalidMin());
        assertEquals(1, s.foreignLetterCount());
        assertEquals(0.25, s.invalidShare(), 1e-12);
    }
}
