namespace SchedCP.Repository.Tests.History;

public class WorkloadFingerprintTests
{
    [Fact]
    public void Fingerprint_ignores_order_case_spacing_and_number_spelling()
    {
        var a = WorkloadFingerprint.Compute(new Dictionary<string, string> { ["Kind"] = "Parallel  Build", ["tasks"] = "172", ["io"] = "low" });
        var b = WorkloadFingerprint.Compute(new Dictionary<string, string> { ["io"] = "LOW", ["tasks"] = "172.0", [" kind "] = "parallel build" });
        Assert.Equal(a, b);
        Assert.StartsWith("wl-", a, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_changes_with_any_characteristic_value()
    {
        var a = WorkloadFingerprint.Compute(new Dictionary<string, string> { ["kind"] = "build", ["tasks"] = "172" });
        var b = WorkloadFingerprint.Compute(new Dictionary<string, string> { ["kind"] = "build", ["tasks"] = "171" });
        Assert.NotEqual(a, b);
    }
}
