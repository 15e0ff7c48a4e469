package io.firstvisit.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No two packages of the service depend on each other, directly or around a loop (issue 12 §3: schedule ↔ inventory
 * and common ↔ problem were such loops). Read from the sources' imports: a loop through same-package references
 * cannot exist, and fully qualified names in code are not used for dependencies here.
 */
class PackageCyclesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.firstvisit(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]", Pattern.MULTILINE);

    @Test
    void thePackagesFormNoLoop() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        assertTrue(uses.size() > 15, "the scan sees the service's packages: " + uses.keySet());
        assertEquals(List.of(), loops(uses), "packages that depend on each other (around a loop)");
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                Set<String> targets = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        targets.add(m.group(1));
                    }
                }
            }
        }
        return uses;
    }

    /** The strongly connected components of more than one package (Tarjan). */
    private static List<Set<String>> loops(Map<String, Set<String>> uses) {
        List<Set<String>> loops = new ArrayList<>();
        Map<String, Integer> index = new TreeMap<>();
        Map<String, Integer> low = new TreeMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        int[] next = {0};
        for (String pkg : uses.keySet()) {
            if (!index.containsKey(pkg)) {
                visit(pkg, uses, index, low, stack, onStack, next, loops);
            }
        }
        return loops;
    }

    private static void visit(String pkg, Map<String, Set<String>> uses, Map<String, Integer> index, Map<String, Integer> low,
                              Deque<String> stack, Set<String> onStack, int[] next, List<Set<String>> loops) {
        index.put(pkg, next[0]);
        low.put(pkg, next[0]++);
        stack.push(pkg);
        onStack.add(pkg);
        for (String target : uses.getOrDefault(pkg, Set.of())) {
            if (!index.containsKey(target)) {
                visit(target, uses, index, low, stack, onStack, next, loops);
                low.put(pkg, Math.min(low.get(pkg), low.get(target)));
            } else if (onStack.contains(target)) {
                low.put(pkg, Math.min(low.get(pkg), index.get(target)));
            }
        }
        if (low.get(pkg).equals(index.get(pkg))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(pkg));
            if (component.size() > 1) {
                loops.add(component);
            }
        }
    }
}
