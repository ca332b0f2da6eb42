package org.prunelab.pipeline.executor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.prunelab.pipeline.plan.Plan;
import org.prunelab.pipeline.plan.PlannedStep;

/**
 * The deduplicated step graph of a sweep: every step still to compute appears once, however many
 * points share it (the dense training of a seed is one node for all its pruning points), with edges
 * to the unfinished steps it reads. Linear stretches are grouped into {@link Chain}s, the unit a
 * cluster job runs: a step joins the chain that ends with one of its inputs when that input's other
 * dependants come after the step anyway and its other inputs are done before the chain starts, so a
 * step shared by several points ends its chain and its dependants start as soon as it is done.
 */
public final class StepGraph {

    /** One unfinished step: its identity, the first point (sweep index) that uses it, its unfinished inputs. */
    public record Node(String hash, String shortId, String kind, String step, int point, List<String> upstream) { }

    /** Steps run one after another by one job, all from the plan of {@code point}. */
    public record Chain(List<Node> nodes, int point, Set<Integer> dependsOn) {
        public Node last() {
            return nodes.get(nodes.size() - 1);
        }

        public List<String> stepNames() {
            return nodes.stream().map(Node::step).toList();
        }

        public List<String> shortIds() {
            return nodes.stream().map(Node::shortId).toList();
        }
    }

    private final Map<String, Node> nodes;
    private final List<Chain> chains;

    private StepGraph(Map<String, Node> nodes, List<Chain> chains) {
        this.nodes = nodes;
        this.chains = chains;
    }

    /**
     * @param plans one plan per sweep point, indexed by the point's sweep index, in expansion order
     *              (which is also a topological order: a plan lists a step after its inputs)
     */
    public static StepGraph of(Map<Integer, Plan> plans) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (Map.Entry<Integer, Plan> point : plans.entrySet()) {
            Plan plan = point.getValue();
            for (PlannedStep step : plan.steps()) {
                if (step.action() == PlannedStep.Action.REUSE || nodes.containsKey(step.identity().hash())) {
                    continue;
                }
                List<String> upstream = new ArrayList<>();
                for (String up : step.spec().upstream()) {
                    PlannedStep input = plan.step(up);
                    if (input.action() != PlannedStep.Action.REUSE) {
                        upstream.add(input.identity().hash());
                    }
                }
                nodes.put(step.identity().hash(), new Node(step.identity().hash(), step.identity().shortHash(),
                        step.spec().stage().kind(), step.name(), point.getKey(), List.copyOf(upstream)));
            }
        }
        return new StepGraph(nodes, chainsOf(nodes));
    }

    private static List<Chain> chainsOf(Map<String, Node> nodes) {
        Map<String, List<String>> dependants = new LinkedHashMap<>();
        nodes.keySet().forEach(h -> dependants.put(h, new ArrayList<>()));
        for (Node node : nodes.values()) {
            for (String up : node.upstream()) {
                dependants.get(up).add(node.hash());
            }
        }
        Map<String, Integer> chainOf = new LinkedHashMap<>();
        List<List<Node>> members = new ArrayList<>();
        List<Set<Integer>> deps = new ArrayList<>();
        List<Set<Integer>> ancestors = new ArrayList<>();
        for (Node node : nodes.values()) { // topological order: a node's upstream is placed before it
            int joined = joinable(node, dependants, chainOf, members, ancestors);
            if (joined >= 0) {
                members.get(joined).add(node);
                chainOf.put(node.hash(), joined);
                continue;
            }
            Set<Integer> direct = new LinkedHashSet<>();
            node.upstream().forEach(up -> direct.add(chainOf.get(up)));
            Set<Integer> all = new LinkedHashSet<>(direct);
            direct.forEach(d -> all.addAll(ancestors.get(d)));
            members.add(new ArrayList<>(List.of(node)));
            deps.add(direct);
            ancestors.add(all);
            chainOf.put(node.hash(), members.size() - 1);
        }
        List<Chain> chains = new ArrayList<>();
        for (int c = 0; c < members.size(); c++) {
            Set<Integer> direct = new LinkedHashSet<>(deps.get(c));
            // a dependency on a chain that another dependency already waits for says nothing new
            for (int d : deps.get(c)) {
                direct.removeAll(ancestors.get(d));
            }
            chains.add(new Chain(List.copyOf(members.get(c)), members.get(c).get(0).point(),
                    Collections.unmodifiableSet(direct)));
        }
        return List.copyOf(chains);
    }

    /**
     * The chain a node can be appended to, or -1. The chain must end with one of the node's inputs
     * and come from the same point's plan; that input's other dependants must all come after this
     * node anyway (so none of them waits longer: a step shared by several points ends its chain);
     * and every other input must be in the chain or in one it waits for (so the job never starts early).
     */
    private static int joinable(Node node, Map<String, List<String>> dependants, Map<String, Integer> chainOf,
                                List<List<Node>> members, List<Set<Integer>> ancestors) {
        for (String up : node.upstream()) {
            int c = chainOf.get(up);
            List<Node> chain = members.get(c);
            if (!chain.get(chain.size() - 1).hash().equals(up) || chain.get(0).point() != node.point()) {
                continue;
            }
            Set<String> after = descendants(node.hash(), dependants);
            boolean othersWaitAnyway = dependants.get(up).stream().allMatch(d -> d.equals(node.hash())
                    || after.contains(d));
            boolean inputsReady = node.upstream().stream().allMatch(o -> chainOf.get(o) == c
                    || ancestors.get(c).contains(chainOf.get(o)));
            if (othersWaitAnyway && inputsReady) {
                return c;
            }
        }
        return -1;
    }

    private static Set<String> descendants(String hash, Map<String, List<String>> dependants) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(dependants.get(hash));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(dependants.get(next));
            }
        }
        return seen;
    }

    /** Unfinished steps, each once, in a topological order. */
    public List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    /** Jobs to run, in a topological order; {@link Chain#dependsOn()} holds indices into this list. */
    public List<Chain> chains() {
        return chains;
    }

    public boolean isEmpty() {
        return nodes.isEmpty();
    }
}
