using SchedCP.Kernel.Analysis;

namespace SchedCP.Agents.Tests.Observation;

/// <summary>Long work found by measurement alone: by name when names tell, by fork order when they do not.</summary>
public sealed class LongTaskIdentificationTests
{
    /// <summary>A driver forking <paramref name="cpuMs"/>.Length workers, all named <paramref name="name"/> unless named.</summary>
    internal static ProcessTreeObservation Batch(double[] cpuMs, string name = "worker", Func<int, string>? names = null)
    {
        var tasks = new List<TaskObservation>
        {
            new(100, 100, "driver", TimeSpan.Zero, TimeSpan.FromSeconds(1), true, 1_000_000, 0, 20, 0)
            {
                Identity = new TaskIdentity(1, "sh", 0, "/opt/driver", ["driver"], 7),
            },
        };
        for (var i = 0; i < cpuMs.Length; i++)
        {
            tasks.Add(new TaskObservation(200 + i, 200 + i, names?.Invoke(i) ?? name, TimeSpan.Zero, TimeSpan.FromMilliseconds(cpuMs[i] * 3), true, (ulong)(cpuMs[i] * 1e6), 0, 0, 3)
            {
                Identity = new TaskIdentity(100, "driver", i, "/opt/driver", ["driver"], 7),
            });
        }

        return new ProcessTreeObservation(100, TimeSpan.FromSeconds(1), 0, tasks, tasks.Count) { Source = ObservationSource.GuestBpf, TasksLost = 0 };
    }

    private static double[] SameNameBatch() => [30, 31, 29, 300, 30, 32, 28, 30, 31, 300, 29, 30];

    [Fact]
    public void Same_name_long_tasks_are_known_by_their_fork_order()
    {
        var found = LongTaskIdentification.Of(Batch(SameNameBatch()));

        Assert.Equal(2, found.LongItems);
        Assert.False(found.NamesDistinguish);
        Assert.Equal("driver", found.ForkParent);
        Assert.Equal([3, 9], found.ForkIndices);
        Assert.InRange(found.ShortP95CpuMs, 31, 32);
        Assert.Contains("fork #3, #9", found.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_that_only_long_tasks_have_are_used_as_names()
    {
        var found = LongTaskIdentification.Of(Batch(SameNameBatch(), names: i => i is 3 or 9 ? "link" : "cc1"));

        Assert.True(found.NamesDistinguish);
        Assert.Equal(2, found.LongItems);
    }

    [Fact]
    public void A_batch_of_equal_tasks_has_no_long_work()
    {
        var found = LongTaskIdentification.Of(Batch([30, 31, 29, 30, 32, 28, 30, 31, 29, 30]));

        Assert.Equal(0, found.LongItems);
        Assert.False(found.HasForkIdentities);
    }

    [Fact]
    public void One_runs_outlier_does_not_make_a_short_task_long()
    {
        // In the second run the host took a vCPU away from task #5 for 400 ms: only one run of three says it is long.
        var stalled = SameNameBatch();
        stalled[5] = 400;

        var found = LongTaskIdentification.Of([Batch(SameNameBatch()), Batch(stalled), Batch(SameNameBatch())]);

        Assert.Equal([3, 9], found.ForkIndices);
        Assert.StartsWith("median of 3 runs", found.Evidence, StringComparison.Ordinal);
    }
}
