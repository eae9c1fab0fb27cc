using SchedCP.Core.Results;
using SchedCP.Kernel.Bpf.Programs;

namespace SchedCP.Verifier.Pipeline;

/// <summary>
/// The state of one run of the pipeline: the candidate and the artifacts stages hand on (the object path produced by
/// the compile stage, the parsed object). One context per run; stages run one after another.
/// </summary>
public sealed class VerificationContext
{
    private BpfObject? _object;

    /// <summary>Creates the context of a run.</summary>
    /// <param name="candidate">The candidate.</param>
    public VerificationContext(VerificationCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        Candidate = candidate;
        ObjectPath = candidate.ObjectPath;
    }

    /// <summary>The candidate.</summary>
    public VerificationCandidate Candidate { get; }

    /// <summary>The compiled object: the candidate's, or the one the compile stage produced.</summary>
    public string? ObjectPath { get; set; }

    /// <summary>Earlier verdicts of this run.</summary>
    public IList<StageVerdict> Verdicts { get; } = [];

    /// <summary>The parsed object at <see cref="ObjectPath"/>, read once and shared by stages.</summary>
    /// <returns>The object, or the failure to read it.</returns>
    public Outcome<BpfObject, Kernel.Bpf.BpfFailure> GetObject()
    {
        if (_object is not null)
        {
            return _object;
        }

        if (ObjectPath is null)
        {
            return new Kernel.Bpf.BpfFailure(Kernel.Bpf.BpfFailureKind.FileMissing, "The candidate has no compiled object.", "Give an object path, or put the compile stage first.");
        }

        var result = BpfObject.Load(ObjectPath);
        if (result.Succeeded)
        {
            _object = result.Value;
        }

        return result;
    }
}
