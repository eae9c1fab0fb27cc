using System.Globalization;
using SchedCP.Agents.Runtime.Orchestration.Dags;
using SchedCP.Agents.Runtime.Orchestration.Resources;

namespace SchedCP.Agents.Runtime.Orchestration.Simulation;

/// <summary>
/// Seeded layered random DAGs, the usual test set for list schedulers: <c>n</c> tasks are cut into about
/// √n layers of random width; every task past the first layer depends on 1–3 tasks of the layer above and, with
/// probability 0.2, on one more from any earlier layer. Every task runs locally (30–600 s) and on the cloud
/// (0.5–1.0 × its local time); one in five can also use an API (10–60 s, 0.002–0.02 per call); tasks of a layer
/// share a batch key. The same seed gives the same DAG.
/// </summary>
public static class LayeredDagGenerator
{
    /// <summary>Generates a DAG.</summary>
    /// <param name="taskCount">How many tasks (at least 1).</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The DAG.</returns>
    public static TaskDag Generate(int taskCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(taskCount);
        var random = new Random(seed);
        var layerCount = Math.Max(1, (int)Math.Round(Math.Sqrt(taskCount)));
        var layers = new List<List<string>>();
        var builder = new TaskDagBuilder(string.Create(CultureInfo.InvariantCulture, $"layered-{taskCount}-{seed}"));
        var made = 0;
        for (var layer = 0; layer < layerCount && made < taskCount; layer++)
        {
            var remainingLayers = layerCount - layer;
            var mean = (taskCount - made) / (double)remainingLayers;
            var width = layer == layerCount - 1 ? taskCount - made : Math.Clamp((int)Math.Round(mean * (0.5 + random.NextDouble())), 1, taskCount - made);
            var ids = new List<string>(width);
            for (var k = 0; k < width; k++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"t{made++}");
                ids.Add(id);
                var deps = new List<string>();
                if (layer > 0)
                {
                    var above = layers[layer - 1];
                    var fanIn = Math.Min(above.Count, 1 + random.Next(3));
                    for (var d = 0; d < fanIn; d++)
                    {
                        deps.Add(above[random.Next(above.Count)]);
                    }

                    if (layer > 1 && random.NextDouble() < 0.2)
                    {
                        var earlier = layers[random.Next(layer - 1)];
                        deps.Add(earlier[random.Next(earlier.Count)]);
                    }
                }

                var local = TimeSpan.FromSeconds(30 + random.Next(571));
                var cloud = TimeSpan.FromMilliseconds(Math.Round(local.TotalMilliseconds * (0.5 + (0.5 * random.NextDouble()))));
                var api = random.NextDouble() < 0.2;
                var apiTime = TimeSpan.FromSeconds(10 + random.Next(51));
                var apiCost = Math.Round((decimal)(0.002 + (0.018 * random.NextDouble())), 4);
                var batch = string.Create(CultureInfo.InvariantCulture, $"layer-{layer}");
                builder.Task(id, t =>
                {
                    t.After([.. deps.Distinct(StringComparer.Ordinal)]).RunsOn(ResourceKind.Local, local).RunsOn(ResourceKind.Cloud, cloud).Batch(batch);
                    if (api)
                    {
                        t.RunsOn(ResourceKind.Api, apiTime, apiCost);
                    }
                });
            }

            layers.Add(ids);
        }

        return builder.Build().GetValueOrThrow();
    }

    /// <summary>
    /// A standard set of <paramref name="poolCount"/> pools: one local machine (16 cores, 64 GB, 4 sandbox VMs), one
    /// simulated human pool, a few rate-limited APIs (one in six of the rest) and simulated cloud pools of four
    /// instance types (2–16 cores, 0.10–0.80 per hour on demand, spot at 30 %, 60–180 s spin-up, 2–4 instances each).
    /// </summary>
    /// <param name="poolCount">How many pools (at least 2).</param>
    /// <returns>New pools (they hold state: one set per orchestrator).</returns>
    public static IReadOnlyList<IResourcePool> StandardPools(int poolCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(poolCount, 2);
        var pools = new List<IResourcePool>
        {
            new LocalPool("local", cpu: 16, memoryGb: 64, sandboxVms: 4),
            new SimulatedHumanPool("reviewers", people: 3, new TimeOnly(8, 0), new TimeOnly(18, 0), hourlyRate: 60m),
        };
        CloudInstanceType[] types =
        [
            new("small", 2, 8, 0.10m, 0.03m, TimeSpan.FromSeconds(60)),
            new("medium", 4, 16, 0.20m, 0.06m, TimeSpan.FromSeconds(90)),
            new("large", 8, 32, 0.40m, 0.12m, TimeSpan.FromSeconds(120)),
            new("xlarge", 16, 64, 0.80m, 0.24m, TimeSpan.FromSeconds(180)),
        ];
        for (var k = 0; pools.Count < poolCount; k++)
        {
            var id = k.ToString(CultureInfo.InvariantCulture);
            pools.Add(k % 6 == 5
                ? new ApiRateLimitPool("api-" + id, burst: 20, tokensPerSecond: 1, maxInFlight: 4, costPerCall: 0.001m)
                : new SimulatedCloudPool("cloud-" + id, types[k % types.Length], maxInstances: 2 + (k % 3)));
        }

        return pools;
    }
}
