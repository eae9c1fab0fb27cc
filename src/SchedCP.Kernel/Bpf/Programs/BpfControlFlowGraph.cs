using SchedCP.Kernel.Bpf.Instructions;

namespace SchedCP.Kernel.Bpf.Programs;

/// <summary>A basic block: a run of instructions entered only at its first and left only after its last.</summary>
/// <param name="Index">The block's index in <see cref="BpfControlFlowGraph.Blocks"/>.</param>
/// <param name="First">The index of its first instruction in the function's instruction list.</param>
/// <param name="Last">The index of its last instruction.</param>
/// <param name="Successors">The blocks control may reach next (none after <c>exit</c>).</param>
public sealed record BpfBasicBlock(int Index, int First, int Last, IReadOnlyList<int> Successors)
{
    /// <summary>The number of instructions in the block.</summary>
    public int Count => Last - First + 1;
}

/// <summary>A loop found as a back edge in a depth-first walk from the entry.</summary>
/// <param name="From">The block whose last instruction jumps back.</param>
/// <param name="Header">The block it jumps back to (the loop header).</param>
/// <param name="Bound">The iteration bound when it could be read from a counter compared with a constant; otherwise null.</param>
public sealed record BpfLoop(int From, int Header, long? Bound);

/// <summary>
/// The control-flow graph of one function: basic blocks, edges, back edges (loops), and the longest path through the
/// graph with back edges removed (the instructions one call can execute without repeating a loop).
/// </summary>
public sealed class BpfControlFlowGraph
{
    private BpfControlFlowGraph(IReadOnlyList<BpfBasicBlock> blocks, IReadOnlyList<BpfLoop> loops, IReadOnlyList<bool> reachable, int longestPath)
    {
        Blocks = blocks;
        Loops = loops;
        Reachable = reachable;
        LongestPath = longestPath;
    }

    /// <summary>The blocks; block 0 is the entry.</summary>
    public IReadOnlyList<BpfBasicBlock> Blocks { get; }

    /// <summary>Back edges, one per loop.</summary>
    public IReadOnlyList<BpfLoop> Loops { get; }

    /// <summary>Whether each block is reachable from the entry.</summary>
    public IReadOnlyList<bool> Reachable { get; }

    /// <summary>The most instructions on any path from the entry to an exit that follows no back edge (calls not expanded).</summary>
    public int LongestPath { get; }

    /// <summary>The block holding an instruction index.</summary>
    /// <param name="instruction">An index into the function's instructions.</param>
    public int BlockOf(int instruction)
    {
        int lo = 0, hi = Blocks.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (Blocks[mid].Last < instruction)
            {
                lo = mid + 1;
            }
            else if (Blocks[mid].First > instruction)
            {
                hi = mid - 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }

    /// <summary>Builds the graph of a function's instructions (slots relative to the function start).</summary>
    /// <param name="instructions">The instructions.</param>
    internal static BpfControlFlowGraph Build(IReadOnlyList<BpfInstruction> instructions)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        var n = instructions.Count;
        if (n == 0)
        {
            return new BpfControlFlowGraph([], [], [], 0);
        }

        var bySlot = new Dictionary<int, int>(n);
        for (var i = 0; i < n; i++)
        {
            bySlot[instructions[i].Slot] = i;
        }

        var leader = new bool[n];
        leader[0] = true;
        for (var i = 0; i < n; i++)
        {
            var insn = instructions[i];
            if (insn.IsJump && bySlot.TryGetValue(insn.JumpTarget, out var t))
            {
                leader[t] = true;
            }

            if ((insn.IsJump || insn.IsExit) && i + 1 < n)
            {
                leader[i + 1] = true;
            }
        }

        var starts = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (leader[i])
            {
                starts.Add(i);
            }
        }

        var blockOfInsn = new int[n];
        for (var b = 0; b < starts.Count; b++)
        {
            var end = b + 1 < starts.Count ? starts[b + 1] : n;
            for (var i = starts[b]; i < end; i++)
            {
                blockOfInsn[i] = b;
            }
        }

        var blocks = new BpfBasicBlock[starts.Count];
        for (var b = 0; b < starts.Count; b++)
        {
            var last = (b + 1 < starts.Count ? starts[b + 1] : n) - 1;
            var insn = instructions[last];
            var succ = new List<int>(2);
            if (!insn.IsExit && !insn.IsUnconditionalJump && last + 1 < n)
            {
                succ.Add(b + 1);
            }

            if (insn.IsJump && bySlot.TryGetValue(insn.JumpTarget, out var t) && !succ.Contains(blockOfInsn[t]))
            {
                succ.Add(blockOfInsn[t]);
            }

            blocks[b] = new BpfBasicBlock(b, starts[b], last, succ);
        }

        // Iterative depth-first walk: an edge to a block still on the stack is a back edge.
        var state = new byte[blocks.Length]; // 0 new, 1 on stack, 2 done
        var order = new List<int>(blocks.Length);
        var backEdges = new HashSet<(int, int)>();
        var loops = new List<BpfLoop>();
        var stack = new Stack<(int Block, int Next)>();
        stack.Push((0, 0));
        state[0] = 1;
        while (stack.Count > 0)
        {
            var (b, next) = stack.Pop();
            if (next < blocks[b].Successors.Count)
            {
                stack.Push((b, next + 1));
                var s = blocks[b].Successors[next];
                if (state[s] == 0)
                {
                    state[s] = 1;
                    stack.Push((s, 0));
                }
                else if (state[s] == 1)
                {
                    backEdges.Add((b, s));
                    loops.Add(new BpfLoop(b, s, EstimateBound(instructions, blocks, b, s)));
                }
            }
            else
            {
                state[b] = 2;
                order.Add(b);
            }
        }

        // Longest path over the acyclic remainder, in reverse post-order.
        var longest = new int[blocks.Length];
        var best = 0;
        for (var k = order.Count - 1; k >= 0; k--)
        {
            var b = order[k];
            var here = longest[b] + blocks[b].Count;
            best = Math.Max(best, here);
            foreach (var s in blocks[b].Successors)
            {
                if (!backEdges.Contains((b, s)) && longest[s] < here)
                {
                    longest[s] = here;
                }
            }
        }

        var reachable = state.Select(s => s != 0).ToArray();
        return new BpfControlFlowGraph(blocks, loops, reachable, best);
    }

    // Recognises the common counted loop: the back-edge block ends "if rX < K goto header" (or <=, !=) and the loop
    // adds a constant step to rX. Anything else is left undecided.
    private static long? EstimateBound(IReadOnlyList<BpfInstruction> insns, BpfBasicBlock[] blocks, int from, int header)
    {
        var jump = insns[blocks[from].Last];
        if (!jump.IsConditionalJump || jump.UsesSourceRegister)
        {
            return null;
        }

        var reg = jump.Destination;
        long? step = null;
        for (var i = blocks[header].First; i <= blocks[from].Last && i < insns.Count; i++)
        {
            var insn = insns[i];
            if (insn.Class is BpfInstructionClass.Alu64 or BpfInstructionClass.Alu && insn.Destination == reg && !insn.UsesSourceRegister && insn.Operation == 0x00)
            {
                step = insn.Immediate;
            }
        }

        if (step is not > 0)
        {
            return null;
        }

        return jump.Operation switch
        {
            0xa0 or 0xc0 or 0x50 => Math.Max(0, (long)jump.Immediate) / step.Value + 1, // <, s<, !=
            0xb0 or 0xd0 => (Math.Max(0, (long)jump.Immediate) / step.Value) + 2, // <=, s<=
            _ => null,
        };
    }
}
