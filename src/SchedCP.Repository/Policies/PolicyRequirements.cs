using System.Text.Json.Serialization;

namespace SchedCP.Repository;

/// <summary>What a host must offer for a policy to run.</summary>
/// <param name="MinimumKernel">The oldest kernel release the policy loads on, as <c>major.minor</c> (sched_ext needs 6.12).</param>
/// <param name="KernelFeatures">Kernel features the policy needs, as lower-case names such as <c>sched_ext</c>, <c>btf</c>, <c>nohz_full</c>, <c>cgroup_v2</c>.</param>
/// <param name="Binaries">Executables that must be on the host (for example <c>scx_rusty</c>); empty for BPF objects loaded by the project's loader.</param>
public sealed record PolicyRequirements(string MinimumKernel, IReadOnlyList<string> KernelFeatures, IReadOnlyList<string> Binaries)
{
    // Parsed once: host filtering checks it for every candidate of every search.
    private readonly Version? _minimumKernelVersion = Parse(MinimumKernel);

    /// <summary>The oldest kernel release the policy loads on, as <c>major.minor</c>.</summary>
    public string MinimumKernel
    {
        get;
        init
        {
            field = value;
            _minimumKernelVersion = Parse(value);
        }
    }

    = MinimumKernel;

    /// <summary>The kernel release parsed from <see cref="MinimumKernel"/>, or <see langword="null"/> when it does not parse.</summary>
    [JsonIgnore]
    public Version? MinimumKernelVersion => _minimumKernelVersion;

    private static Version? Parse(string? text) => Version.TryParse(text, out var v) ? v : null;
}
