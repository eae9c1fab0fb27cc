using SchedCP.Agents.Runtime.Claims.State;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Claims;

/// <summary>
/// Deadlock detection: an agent that holds leases and asks for more would wait for the holders that block it,
/// who may wait for others in turn. If that chain leads back to the agent, waiting would never end.
/// </summary>
internal static class WaitForGraph
{
    /// <summary>The cycle "a -> b -> a" that waiting would close, or null when there is none.</summary>
    public static string? FindCycle(LockState state, string holder, Claim[] claims)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        foreach (var blocker in ClaimConflicts.BlockersOf(state, null, claims, holder).Order(StringComparer.Ordinal))
        {
            parent.TryAdd(blocker, holder);
            stack.Push(blocker);
        }

        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (string.Equals(current, holder, StringComparison.Ordinal))
            {
                var path = new List<string> { holder };
                var step = parent[holder];
                while (!string.Equals(step, holder, StringComparison.Ordinal))
                {
                    path.Add(step);
                    step = parent[step];
                }

                path.Add(holder);
                path.Reverse();
                return string.Join(" -> ", path);
            }

            if (!state.PendingByHolder.TryGetValue(current, out var pending))
            {
                continue;
            }

            foreach (var next in ClaimConflicts.BlockersOf(state, pending, pending.Claims, current).Order(StringComparer.Ordinal))
            {
                if (parent.TryAdd(next, current))
                {
                    stack.Push(next);
                }
            }
        }

        return null;
    }
}
