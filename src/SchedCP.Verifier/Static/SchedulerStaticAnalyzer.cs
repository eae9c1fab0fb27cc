using System.Buffers.Binary;
using System.Globalization;
using SchedCP.Kernel.Bpf.Programs;
using SchedCP.Verifier.Pipeline;

namespace SchedCP.Verifier.StaticAnalysis;

/// <summary>What the static analysis found: findings and numbers.</summary>
/// <param name="Findings">Errors, warnings and notes, each with its program and instruction.</param>
/// <param name="Metrics">Instruction counts, longest-path estimates, stack use and loops per callback.</param>
public sealed record StaticAnalysisResult(IReadOnlyList<VerificationFinding> Findings, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>True when no finding is an error.</summary>
    public bool Passed => Findings.All(f => f.Severity != FindingSeverity.Error);
}

/// <summary>
/// Scheduler-specific static checks on a compiled sched_ext object, for what the kernel verifier does not look at:
/// kfuncs called from callbacks that may not call them, enqueue paths that lose a task, a dispatch that never moves work,
/// dispatch queues used but never created, and struct_ops settings the kernel refuses at attach time.
/// Pure managed code: no kernel, no sandbox.
/// </summary>
public static class SchedulerStaticAnalyzer
{
    /// <summary>The kernel's combined stack limit for a program and the subprograms it calls.</summary>
    public const int MaxStackBytes = 512;

    /// <summary>The kernel's limit of instructions per program (<c>BPF_COMPLEXITY_LIMIT_INSNS</c>).</summary>
    public const int MaxInstructions = 1_000_000;

    private const int MaxCallDepth = 64;

    private static readonly HashSet<string> Inserts = new(StringComparer.Ordinal) { "scx_bpf_dispatch", "scx_bpf_dispatch_vtime" };
    private static readonly HashSet<string> Aborts = new(StringComparer.Ordinal) { "scx_bpf_error_bstr", "scx_bpf_exit_bstr" };
    private static readonly HashSet<string> MovesToLocal = new(StringComparer.Ordinal)
    {
        "scx_bpf_consume", "scx_bpf_dispatch", "scx_bpf_dispatch_vtime", "scx_bpf_dispatch_from_dsq", "scx_bpf_dispatch_vtime_from_dsq",
    };

    // Ways an enqueue can keep a task without inserting it: a map (queue, hash, kptr) or a BPF list/rbtree.
    private static readonly HashSet<string> Custody = new(StringComparer.Ordinal)
    {
        "bpf_map_update_elem", "bpf_map_push_elem", "bpf_kptr_xchg", "bpf_task_acquire", "bpf_rbtree_add_impl", "bpf_list_push_front_impl", "bpf_list_push_back_impl",
    };

    /// <summary>Analyses an object as it will be loaded with <paramref name="parameters"/> (its <c>.rodata</c> values).</summary>
    /// <param name="obj">The object.</param>
    /// <param name="parameters">Read-only variables overriding the object's defaults, by name.</param>
    /// <returns>The findings and metrics.</returns>
    public static StaticAnalysisResult Analyze(BpfObject obj, IReadOnlyDictionary<string, string>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var findings = new List<VerificationFinding>();
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        // Callbacks are named by the struct's BTF: without it every check below would see no callback and pass.
        if (obj.BtfFailure is { } btfFailure)
        {
            findings.Add(new VerificationFinding("btf", FindingSeverity.Error,
                $"The object's BTF cannot be read, so its callbacks cannot be identified and checked: {btfFailure.Message}", btfFailure.Remedy));
            return new StaticAnalysisResult(findings, metrics);
        }

        var ops = obj.StructOps.FirstOrDefault(m => m.TypeName == "sched_ext_ops") ?? (obj.StructOps.Count > 0 ? obj.StructOps[0] : null);
        if (ops is null)
        {
            findings.Add(new VerificationFinding("no-struct-ops", FindingSeverity.Error,
                "The object defines no struct_ops map, so it is not a sched_ext scheduler.",
                "Declare the scheduler with SCX_OPS_DEFINE(name, .enqueue = ..., .name = \"...\")."));
            return new StaticAnalysisResult(findings, metrics);
        }

        if (ops.TypeName != "sched_ext_ops")
        {
            findings.Add(new VerificationFinding("btf", FindingSeverity.Error,
                !obj.HasBtf
                    ? $"The object has no BTF, so the type of struct_ops map '{ops.Name}' and its callbacks cannot be identified and checked (the loader needs it too)."
                    : $"The BTF does not give struct_ops map '{ops.Name}' the type sched_ext_ops (found '{ops.TypeName}'), so its callbacks cannot be identified and checked.",
                "Compile with clang -g and declare the scheduler with SCX_OPS_DEFINE, so that the map is a struct sched_ext_ops described in .BTF.",
                new FindingLocation(Program: ops.Name)));
            return new StaticAnalysisResult(findings, metrics);
        }

        var rodata = ReadRodata(obj, parameters, findings);
        var facts = new Dictionary<string, RegisterConstants>(StringComparer.Ordinal);
        RegisterConstants Facts(BpfFunction f) => facts.TryGetValue(f.Name, out var c) ? c : facts[f.Name] = RegisterConstants.Compute(f, rodata);

        CheckSettings(ops, findings);
        var stackMemo = new Dictionary<string, int>(StringComparer.Ordinal);
        var pathMemo = new Dictionary<string, long>(StringComparer.Ordinal);
        metrics["programs"] = obj.Programs.Count();
        metrics["callbacks"] = ops.Callbacks.Count;

        foreach (var (callback, symbol) in ops.Callbacks)
        {
            var f = obj.FindFunction(symbol);
            if (f is null)
            {
                findings.Add(new VerificationFinding("unresolved-callback", FindingSeverity.Error, $"ops.{callback} points at '{symbol}', which is not a program in the object.", "Point the callback at a BPF_STRUCT_OPS program.", new FindingLocation(Program: symbol)));
                continue;
            }

            var stack = StackDepth(obj, f, stackMemo, []);
            var longest = LongestPath(obj, f, pathMemo, []);
            metrics[$"instructions.{callback}"] = f.SlotCount;
            metrics[$"longest_path.{callback}"] = longest;
            metrics[$"stack.{callback}"] = stack;
            metrics[$"loops.{callback}"] = f.ControlFlow.Loops.Count;
            if (stack > MaxStackBytes)
            {
                findings.Add(new VerificationFinding("stack", FindingSeverity.Error, $"ops.{callback} uses {stack} bytes of stack with its subprograms; the kernel allows {MaxStackBytes}.", "Move large locals to a per-CPU array map.", new FindingLocation(Program: f.Name)));
            }

            if (f.SlotCount > MaxInstructions)
            {
                findings.Add(new VerificationFinding("size", FindingSeverity.Error, $"ops.{callback} has {f.SlotCount} instructions; the kernel allows {MaxInstructions}.", "Split the program into subprograms or simplify it.", new FindingLocation(Program: f.Name)));
            }

            foreach (var loop in f.ControlFlow.Loops.Where(l => l.Bound is null))
            {
                var slot = f.Instructions[f.ControlFlow.Blocks[loop.From].Last].Slot;
                findings.Add(new VerificationFinding("loop", FindingSeverity.Info, $"ops.{callback} has a loop (back edge to block {loop.Header}) whose bound is not a constant counter; the kernel verifier must prove it ends.", "", new FindingLocation(Program: f.Name, Instruction: slot)));
            }

            CheckKfuncContext(obj, callback, f, findings);
        }

        CheckEnqueue(obj, ops, Facts, findings);
        CheckDsqs(obj, ops, Facts, findings);
        return new StaticAnalysisResult(findings, metrics);
    }

    private static void CheckSettings(StructOpsMap ops, List<VerificationFinding> findings)
    {
        var location = new FindingLocation(Program: ops.Name);
        if (ops.ReadUInt32("timeout_ms") is { } timeout && timeout > SchedExtCallbackRules.MaxTimeoutMs)
        {
            findings.Add(new VerificationFinding("timeout", FindingSeverity.Error,
                $"timeout_ms is {timeout}; the kernel refuses watchdog timeouts above {SchedExtCallbackRules.MaxTimeoutMs} ms (SCX_WATCHDOG_MAX_TIMEOUT) with E2BIG at attach.",
                $"Set .timeout_ms to at most {SchedExtCallbackRules.MaxTimeoutMs} (0 uses the kernel's default).", location));
        }

        if (ops.ReadString("name", 128) is { } name && (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.')))
        {
            findings.Add(new VerificationFinding("name", FindingSeverity.Error,
                name.Length == 0 ? "ops.name is empty; the kernel refuses it with EINVAL." : $"ops.name '{name}' has characters other than letters, digits, '_' and '.'; the kernel refuses it with EINVAL.",
                "Give .name a short identifier such as \"my_sched\".", location));
        }

        if (ops.ReadUInt64("flags") is { } flags)
        {
            if ((flags & ~SchedExtCallbackRules.AllFlags) != 0)
            {
                findings.Add(new VerificationFinding("flags", FindingSeverity.Error, $"ops.flags 0x{flags:x} has bits this kernel does not know (0x{flags & ~SchedExtCallbackRules.AllFlags:x}); the kernel refuses them.", "Use only SCX_OPS_* flags of Linux 6.12.", location));
            }

            if ((flags & SchedExtCallbackRules.EnqueueLastFlag) != 0 && !ops.Callbacks.ContainsKey("enqueue"))
            {
                findings.Add(new VerificationFinding("flags", FindingSeverity.Error, "SCX_OPS_ENQ_LAST is set without ops.enqueue; the kernel refuses to enable the scheduler.", "Implement ops.enqueue or drop SCX_OPS_ENQ_LAST.", location));
            }
        }
    }

    private static void CheckKfuncContext(BpfObject obj, string callback, BpfFunction program, List<VerificationFinding> findings)
    {
        var context = SchedExtCallbackRules.ContextOf(callback);
        foreach (var (function, call) in ReachableCalls(obj, program, followCallbacks: false))
        {
            if (call.Kind == BpfCallKind.Kfunc && SchedExtCallbackRules.IsSchedExtKfunc(call.Target) && !SchedExtCallbackRules.IsAllowed(context, call.Target))
            {
                findings.Add(new VerificationFinding("kfunc-context", FindingSeverity.Error,
                    $"{call.Target} is called from ops.{callback}, which runs in the {context} context; the kernel allows it only in: {SchedExtCallbackRules.AllowedIn(call.Target)}. The scheduler would be ejected with a runtime error.",
                    $"Move the {call.Target} call to a callback that may make it.", new FindingLocation(Program: function.Name, Instruction: call.Slot)));
            }
        }
    }

    private static void CheckEnqueue(BpfObject obj, StructOpsMap ops, Func<BpfFunction, RegisterConstants> facts, List<VerificationFinding> findings)
    {
        if (!ops.Callbacks.TryGetValue("enqueue", out var symbol) || obj.FindFunction(symbol) is not { } enqueue)
        {
            return;
        }

        var satisfying = new Dictionary<string, bool>(StringComparer.Ordinal);
        bool Satisfies(BpfCallSite c) => c.Kind switch
        {
            BpfCallKind.Kfunc => Inserts.Contains(c.Target) || Aborts.Contains(c.Target) || Custody.Contains(c.Target),
            BpfCallKind.Helper => Custody.Contains(c.Target),
            BpfCallKind.Subprogram or BpfCallKind.Callback or BpfCallKind.Unresolved => obj.FindFunction(c.Target) is not { } callee
                || ReachableCalls(obj, callee, followCallbacks: true).Any(x => x.Call.Kind is BpfCallKind.Kfunc or BpfCallKind.Helper && Satisfies(x.Call)),
            _ => false,
        };

        var cf = facts(enqueue);
        var cfg = enqueue.ControlFlow;
        var callsByInsn = new Dictionary<int, BpfCallSite>();
        var slotToIndex = new Dictionary<int, int>();
        for (var i = 0; i < enqueue.Instructions.Count; i++)
        {
            slotToIndex[enqueue.Instructions[i].Slot] = i;
        }

        foreach (var c in enqueue.Calls)
        {
            callsByInsn[slotToIndex[c.Slot]] = c;
        }

        var blockSatisfies = new bool[cfg.Blocks.Count];
        for (var b = 0; b < cfg.Blocks.Count; b++)
        {
            for (var i = cfg.Blocks[b].First; i <= cfg.Blocks[b].Last; i++)
            {
                if (callsByInsn.TryGetValue(i, out var call) && (satisfying.TryGetValue(call.Target, out var s) ? s : satisfying[call.Target] = Satisfies(call)))
                {
                    blockSatisfies[b] = true;
                }
            }
        }

        // Walk feasible edges from the entry through blocks that neither insert, keep nor abort.
        var seen = new bool[cfg.Blocks.Count];
        var queue = new Queue<int>();
        if (cfg.Blocks.Count > 0 && !blockSatisfies[0])
        {
            queue.Enqueue(0);
            seen[0] = true;
        }

        while (queue.Count > 0)
        {
            var b = queue.Dequeue();
            var last = enqueue.Instructions[cfg.Blocks[b].Last];
            if (last.IsExit)
            {
                findings.Add(new VerificationFinding("enqueue-drops-task", FindingSeverity.Error,
                    $"ops.enqueue ({enqueue.Name}) can return at instruction {last.Slot} without inserting the task into a DSQ (scx_bpf_dispatch/scx_bpf_dispatch_vtime), keeping it in a map, or aborting with scx_bpf_error. The task is lost and the watchdog ejects the scheduler.",
                    "Insert the task on every path of ops.enqueue, e.g. scx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags).",
                    new FindingLocation(Program: enqueue.Name, Instruction: last.Slot)));
                return;
            }

            foreach (var s in cf.Successors[b])
            {
                if (!seen[s] && !blockSatisfies[s])
                {
                    seen[s] = true;
                    queue.Enqueue(s);
                }
            }
        }
    }

    private static void CheckDsqs(BpfObject obj, StructOpsMap ops, Func<BpfFunction, RegisterConstants> facts, List<VerificationFinding> findings)
    {
        var created = new HashSet<long>();
        var createdUnknown = false;
        var used = new List<(long Id, string Kfunc, BpfFunction Function, int Slot)>();
        var customInserted = new List<long>();
        foreach (var f in obj.Functions)
        {
            var cf = facts(f);
            var indexOf = new Dictionary<int, int>();
            for (var i = 0; i < f.Instructions.Count; i++)
            {
                indexOf[f.Instructions[i].Slot] = i;
            }

            foreach (var c in f.Calls.Where(c => c.Kind == BpfCallKind.Kfunc))
            {
                var index = indexOf[c.Slot];
                var block = f.ControlFlow.BlockOf(index);
                if (block < 0 || !cf.FeasibleBlocks[block] || !cf.AtCalls.TryGetValue(index, out var regs))
                {
                    continue;
                }

                var arg = c.Target switch
                {
                    "scx_bpf_create_dsq" or "scx_bpf_consume" => 1,
                    "scx_bpf_dispatch" or "scx_bpf_dispatch_vtime" => 2,
                    "scx_bpf_dispatch_from_dsq" or "scx_bpf_dispatch_vtime_from_dsq" => 3,
                    _ => 0,
                };
                if (arg == 0)
                {
                    continue;
                }

                var v = regs[arg];
                if (c.Target == "scx_bpf_create_dsq")
                {
                    if (v.IsConstant)
                    {
                        created.Add(v.Value);
                    }
                    else
                    {
                        createdUnknown = true;
                    }
                }
                else if (v.IsConstant && v.Value >= 0)
                {
                    // Built-in DSQs (SCX_DSQ_GLOBAL, SCX_DSQ_LOCAL, SCX_DSQ_LOCAL_ON | cpu) have bit 63 set.
                    used.Add((v.Value, c.Target, f, c.Slot));
                    if (Inserts.Contains(c.Target))
                    {
                        customInserted.Add(v.Value);
                    }
                }
            }
        }

        if (!createdUnknown)
        {
            foreach (var u in used.Where(u => !created.Contains(u.Id)).GroupBy(u => u.Id).Select(g => g.First()))
            {
                var createdText = created.Count == 0 ? "no DSQ is created" : $"only {string.Join(", ", created.Order().Select(i => i.ToString(CultureInfo.InvariantCulture)))} {(created.Count == 1 ? "is" : "are")} created";
                findings.Add(new VerificationFinding("missing-dsq", FindingSeverity.Error,
                    $"{u.Kfunc} uses custom DSQ {u.Id}, but {createdText} (scx_bpf_create_dsq in ops.init). The kernel ejects the scheduler on the first use of a DSQ that does not exist.",
                    $"Call scx_bpf_create_dsq({u.Id}, -1) in ops.init, or use the id that is created.",
                    new FindingLocation(Program: u.Function.Name, Instruction: u.Slot)));
            }
        }

        var hasDispatch = ops.Callbacks.TryGetValue("dispatch", out var dispatchSymbol) && obj.FindFunction(dispatchSymbol) is not null;
        var customQueues = customInserted.Count > 0 || created.Count > 0 || createdUnknown;
        if (hasDispatch)
        {
            var dispatch = obj.FindFunction(dispatchSymbol!)!;
            if (!ReachableCalls(obj, dispatch, followCallbacks: true).Any(x => x.Call.Kind == BpfCallKind.Kfunc && MovesToLocal.Contains(x.Call.Target)))
            {
                findings.Add(new VerificationFinding("dispatch-never-consumes", customQueues ? FindingSeverity.Error : FindingSeverity.Warning,
                    $"ops.dispatch ({dispatch.Name}) never moves a task to a local DSQ (no scx_bpf_consume, scx_bpf_dispatch or scx_bpf_dispatch_from_dsq)" +
                    (customQueues ? "; tasks queued on custom DSQs are never run and the watchdog ejects the scheduler." : "; it is harmless only while every task goes to built-in DSQs."),
                    "Call scx_bpf_consume(<dsq id>) in ops.dispatch for every custom DSQ tasks are inserted into.",
                    new FindingLocation(Program: dispatch.Name)));
            }
        }
        else if (customInserted.Count > 0)
        {
            findings.Add(new VerificationFinding("dispatch-never-consumes", FindingSeverity.Error,
                $"Tasks are inserted into custom DSQ {customInserted[0]}, but there is no ops.dispatch to consume it; they never run.",
                "Add ops.dispatch calling scx_bpf_consume on that DSQ.", new FindingLocation(Program: ops.Name)));
        }
    }

    private static IEnumerable<(BpfFunction Function, BpfCallSite Call)> ReachableCalls(BpfObject obj, BpfFunction root, bool followCallbacks)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.Name };
        var stack = new Stack<BpfFunction>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var f = stack.Pop();
            foreach (var c in f.Calls)
            {
                yield return (f, c);
                if ((c.Kind == BpfCallKind.Subprogram || (followCallbacks && c.Kind == BpfCallKind.Callback)) && obj.FindFunction(c.Target) is { } callee && seen.Add(callee.Name))
                {
                    stack.Push(callee);
                }
            }
        }
    }

    // Call graphs come from the object: results are kept per function so that shared callees are walked once (a chain
    // of diamonds would otherwise take exponential time), and walks stop at MaxCallDepth, far beyond the kernel's 8 frames.
    private static int StackDepth(BpfObject obj, BpfFunction f, Dictionary<string, int> memo, HashSet<string> onPath)
    {
        if (memo.TryGetValue(f.Name, out var known))
        {
            return known;
        }

        if (onPath.Count > MaxCallDepth || !onPath.Add(f.Name))
        {
            return 0;
        }

        var own = Math.Max(f.StackBytes, 1);
        own = (own + 31) / 32 * 32;
        var deepest = 0;
        foreach (var c in f.Calls.Where(c => c.Kind == BpfCallKind.Subprogram))
        {
            if (obj.FindFunction(c.Target) is { } callee)
            {
                deepest = Math.Max(deepest, StackDepth(obj, callee, memo, onPath));
            }
        }

        onPath.Remove(f.Name);
        return memo[f.Name] = own + deepest;
    }

    private static long LongestPath(BpfObject obj, BpfFunction f, Dictionary<string, long> memo, HashSet<string> onPath)
    {
        if (memo.TryGetValue(f.Name, out var known))
        {
            return known;
        }

        if (onPath.Count > MaxCallDepth || !onPath.Add(f.Name))
        {
            return 0;
        }

        long total = f.ControlFlow.LongestPath;
        foreach (var c in f.Calls.Where(c => c.Kind == BpfCallKind.Subprogram))
        {
            if (obj.FindFunction(c.Target) is { } callee)
            {
                total += LongestPath(obj, callee, memo, onPath);
            }
        }

        onPath.Remove(f.Name);
        return memo[f.Name] = total;
    }

    private static byte[] ReadRodata(BpfObject obj, IReadOnlyDictionary<string, string>? parameters, List<VerificationFinding> findings)
    {
        var section = obj.Elf.FindSection(".rodata");
        if (section is null)
        {
            return [];
        }

        var bytes = obj.Elf.GetData(section).ToArray();
        if (parameters is null || parameters.Count == 0)
        {
            return bytes;
        }

        var symbols = obj.Elf.GetSymbols();
        foreach (var (name, text) in parameters)
        {
            var sym = symbols.Succeeded ? symbols.Value!.FirstOrDefault(s => s.Name == name && s.SectionIndex == section.Index) : null;
            if (sym is null || sym.Size is not (1 or 2 or 4 or 8) || sym.Size > (ulong)bytes.Length || sym.Value > (ulong)bytes.Length - sym.Size)
            {
                findings.Add(new VerificationFinding("parameter", FindingSeverity.Warning, $"Parameter '{name}' is not an integer .rodata variable of the object; paths that depend on it were analysed with the object's default.", "", null));
                continue;
            }

            long value = text switch
            {
                "true" => 1,
                "false" => 0,
                _ when text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(text.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var h) => h,
                _ when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) => d,
                _ => long.MinValue,
            };
            if (value == long.MinValue)
            {
                continue;
            }

            var span = bytes.AsSpan((int)sym.Value, (int)sym.Size);
            switch (sym.Size)
            {
                case 1: span[0] = (byte)value; break;
                case 2: BinaryPrimitives.WriteInt16LittleEndian(span, (short)value); break;
                case 4: BinaryPrimitives.WriteInt32LittleEndian(span, (int)value); break;
                default: BinaryPrimitives.WriteInt64LittleEndian(span, value); break;
            }
        }

        return bytes;
    }
}
