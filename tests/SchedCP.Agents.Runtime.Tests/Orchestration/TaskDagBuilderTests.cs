using SchedCP.Agents.Runtime.Orchestration.Dags;

namespace SchedCP.Agents.Runtime.Tests.Orchestration;

public sealed class TaskDagBuilderTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_cycle_is_refused_and_named()
    {
        var result = new TaskDagBuilder("loop")
            .Task("a", t => t.After("c").RunsOn(ResourceKind.Local, Minute))
            .Task("b", t => t.After("a").RunsOn(ResourceKind.Local, Minute))
            .Task("c", t => t.After("b").RunsOn(ResourceKind.Local, Minute))
            .Task("d", t => t.RunsOn(ResourceKind.Local, Minute))
            .Build();

        Assert.False(result.Succeeded);
        Assert.Equal(RuntimeErrorCode.InvalidInput, result.Failure.Kind);
        Assert.Contains("cycle", result.Failure.Message, StringComparison.Ordinal);
        // The cycle is named in run-before order and closes on its first task.
        Assert.Matches(@"(a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)", result.Failure.Message);
        Assert.DoesNotContain("d", result.Failure.Message.Split("cycle")[1].Split(':')[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_ids_unknown_dependencies_and_missing_estimates_are_all_reported()
    {
        var result = new TaskDagBuilder("bad")
            .Task("a", t => t.RunsOn(ResourceKind.Local, Minute))
            .Task("a", t => t.RunsOn(ResourceKind.Cloud, Minute))
            .Task("b", t => t.After("ghost").RunsOn(ResourceKind.Local, Minute))
            .Task("c", _ => { })
            .Build();

        Assert.False(result.Succeeded);
        Assert.Contains("duplicate task id 'a'", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("unknown task 'ghost'", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("task 'c' has no estimate", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_self_dependency_is_a_cycle()
    {
        var result = new TaskDagBuilder("self").Task("a", t => t.After("a").RunsOn(ResourceKind.Local, Minute)).Build();
        Assert.Contains("cycle a -> a", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_with_an_unknown_resource_kind_is_refused_with_the_kinds_that_exist()
    {
        const string json = """{ "id": "d", "tasks": [ { "id": "a", "estimates": { "gpu": { "durationSeconds": 5 } } } ] }""";
        var result = TaskDagJson.Parse(json);
        Assert.False(result.Succeeded);
        Assert.Contains("unknown resource kind 'gpu'", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("local, cloud, api or human", result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_refused_not_thrown()
    {
        var result = TaskDagJson.Parse("{ \"id\": \"d\", \"tasks\": [ { \"id\": 5 ");
        Assert.Equal(RuntimeErrorCode.InvalidInput, result.Failure!.Kind);
    }

    [Fact]
    public void Json_round_trip_keeps_tasks_dependencies_and_estimates()
    {
        var dag = new TaskDagBuilder("trip")
            .Task("fetch", t => t.RunsOn(ResourceKind.Local, Minute).RunsOn(ResourceKind.Cloud, Minute / 2, 0.01m).Requires(cpu: 2, memoryGb: 4))
            .Task("review", t => t.After("fetch").RunsOn(ResourceKind.Human, TimeSpan.FromHours(1)).Priority(3).Retry(5, TimeSpan.FromSeconds(10)).Batch("r"))
            .Build().GetValueOrThrow();

        var back = TaskDagJson.Parse(TaskDagJson.Write(dag)).GetValueOrThrow();

        Assert.Equal(TaskDagJson.Write(dag), TaskDagJson.Write(back));
        Assert.Equal(["fetch"], back.Tasks[1].DependsOn);
        Assert.Equal(5, back.Tasks[1].Retry.MaxAttempts);
        Assert.Equal(0.01m, back.Tasks[0].EstimateFor(ResourceKind.Cloud)!.Cost);
    }

    [Fact]
    public void Upward_rank_is_the_longest_mean_duration_path_to_an_exit()
    {
        // a(60) -> b(120) -> d(60); a -> c(30) -> d. Longest: a b d = 240 s.
        var dag = new TaskDagBuilder("rank")
            .Task("a", t => t.RunsOn(ResourceKind.Local, Minute))
            .Task("b", t => t.After("a").RunsOn(ResourceKind.Local, TimeSpan.FromMinutes(3)).RunsOn(ResourceKind.Cloud, Minute))
            .Task("c", t => t.After("a").RunsOn(ResourceKind.Local, TimeSpan.FromSeconds(30)))
            .Task("d", t => t.After("b", "c").RunsOn(ResourceKind.Local, Minute))
            .Build().GetValueOrThrow();

        Assert.Equal(240, dag.UpwardRankOf("a"));
        Assert.Equal(180, dag.UpwardRankOf("b"));
        Assert.Equal(90, dag.UpwardRankOf("c"));
        Assert.Equal(240, dag.CriticalPathSeconds);
        Assert.True(dag.IsOnCriticalPath("b"));
        Assert.False(dag.IsOnCriticalPath("c"));
    }
}
