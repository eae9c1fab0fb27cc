using SchedCP.Agents.Runtime.Claims.State;

namespace SchedCP.Agents.Runtime.Claims.Storage;

/// <summary>Keeps the lock state in memory behind one lock; nothing is written anywhere.</summary>
internal sealed class InMemoryWorkUnitLockStore : WorkUnitLockStore
{
    private readonly Lock _gate = new();
    private readonly LockState _state = new();

    internal override bool IsShared => false;

    internal override TResult Transact<TArg, TResult>(TArg argument, Func<LockState, bool, TArg, TResult> operation)
    {
        lock (_gate)
        {
            return operation(_state, false, argument);
        }
    }
}
