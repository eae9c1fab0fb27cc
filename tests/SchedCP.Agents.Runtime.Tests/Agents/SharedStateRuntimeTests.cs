using Microsoft.Extensions.DependencyInjection;
using SchedCP.Agents.Runtime.Agents;
using SchedCP.Agents.Runtime.DependencyInjection;
using SchedCP.Agents.Runtime.Tests.Claims.Storage;
using SchedCP.Agents.Runtime.WorkUnits;

namespace SchedCP.Agents.Runtime.Tests.Agents;

[Collection(LockStoreTests.Name)]
public sealed class SharedStateRuntimeTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly TempWorkspace _first = new();
    private readonly TempWorkspace _second = new();
    private readonly TempWorkspace _state = new();

    public void Dispose()
    {
        _first.Dispose();
        _second.Dispose();
        _state.Dispose();
    }

    [Fact]
    public async Task Same_named_agents_of_two_runtimes_on_one_state_file_take_turns_on_a_unit()
    {
        var statePath = Path.Combine(_state.Root, "locks.db");
        var slot = WorkUnit.Process("sched-ext-slot");
        var order = new List<string>();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondWaits = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var first = new AgentRuntime(_first.Options().UseSqliteState(statePath));
        using var second = new AgentRuntime(_second.Options().UseSqliteState(statePath));
        first.AddAgent("execution", async (ctx, _) =>
        {
            var lease = (await ctx.ClaimAsync([Claim.Exclusive(slot)])).GetValueOrThrow();
            Record("first holds");
            held.SetResult();
            await secondWaits.Task;
            Record("first releases");
            ctx.Release(lease).GetValueOrThrow();
        });
        second.AddAgent("execution", async (ctx, _) =>
        {
            var lease = (await ctx.ClaimAsync([Claim.Exclusive(slot)])).GetValueOrThrow();
            Record("second holds");
            ctx.Release(lease).GetValueOrThrow();
        });

        var firstRun = first.RunAsync();
        await held.Task.WaitAsync(Patience);
        var secondRun = second.RunAsync();
        while (first.Locks.GetWaiters().Count == 0)
        {
            await Task.Delay(20).WaitAsync(Patience);
        }

        // The other runtime's agent is a different holder, shown with its runtime's scope.
        var waiting = Assert.Single(first.Locks.GetWaiters());
        Assert.EndsWith("/execution", waiting.HolderId, StringComparison.Ordinal);
        Assert.Equal("execution", Assert.Single(first.Locks.GetLeases()).HolderId);
        secondWaits.SetResult();

        var reports = await Task.WhenAll(firstRun, secondRun).WaitAsync(Patience);
        Assert.All(reports.SelectMany(r => r.Agents), a => Assert.Equal(AgentState.Completed, a.State));
        Assert.Equal(["first holds", "first releases", "second holds"], order);
        Assert.Empty(second.Locks.GetLeases());

        void Record(string what)
        {
            lock (order)
            {
                order.Add(what);
            }
        }
    }

    [Fact]
    public void The_di_option_puts_the_factorys_runtimes_on_the_shared_file()
    {
        var statePath = Path.Combine(_state.Root, "locks.db");
        var services = new ServiceCollection();
        services.AddSchedCPAgentRuntime(o =>
        {
            o.WorkspaceRoot = _first.Root;
            o.EventLogPath = null;
            o.UseSqliteState(statePath);
        });
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<AgentRuntimeFactory>();
        using var one = factory.Create();
        using var other = factory.Create();

        one.Locks.TryClaim("agent", [Claim.Exclusive(WorkUnit.Process("benchmark"))], TimeSpan.FromMinutes(1)).GetValueOrThrow();
        Assert.Equal(RuntimeErrorCode.WouldWait, other.Locks.TryClaim("agent", [Claim.Exclusive(WorkUnit.Process("benchmark"))], TimeSpan.FromMinutes(1)).Failure?.Kind);
        Assert.True(File.Exists(statePath));
    }

    [PostgreSqlFact]
    public void The_postgresql_option_puts_runtimes_on_one_database()
    {
        var connectionString = PostgreSqlServer.Instance.NewDatabase();
        using var one = new AgentRuntime(_first.Options().UsePostgreSqlState(connectionString));
        using var other = new AgentRuntime(_second.Options().UsePostgreSqlState(connectionString));

        one.Locks.TryClaim("execution", [Claim.Exclusive(WorkUnit.Process("sched-ext-slot"))], TimeSpan.FromMinutes(1)).GetValueOrThrow();
        Assert.Equal(RuntimeErrorCode.WouldWait, other.Locks.TryClaim("execution", [Claim.Exclusive(WorkUnit.Process("sched-ext-slot"))], TimeSpan.FromMinutes(1)).Failure?.Kind);
    }

    [Fact]
    public void A_relative_state_path_is_under_the_workspace()
    {
        using (var runtime = new AgentRuntime(_first.Options().UseSqliteState(".schedcp-runtime/state.db")))
        {
            Assert.Empty(runtime.Locks.GetLeases());
        }

        Assert.True(File.Exists(Path.Combine(_first.Root, ".schedcp-runtime", "state.db")));
    }
}
