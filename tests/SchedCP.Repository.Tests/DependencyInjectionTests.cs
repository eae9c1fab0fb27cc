using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SchedCP.Repository.Tests;

public class DependencyInjectionTests
{
    private sealed class AcceptAll : IDeploymentReceiptValidator
    {
        public ValueTask<ReceiptValidation> ValidateAsync(DeploymentReceipt receipt, string policyName, string? sourceSha256, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ReceiptValidation.Valid("x"));
    }

    [Fact]
    public async Task AddSchedCPRepository_wires_a_working_repository_and_the_verifier_hook()
    {
        using var db = new TemporaryDatabase();
        var services = new ServiceCollection();
        services.AddSchedCPRepository(o => o.DatabasePath = db.Path).WithDeploymentReceiptValidator<AcceptAll>();
        await using var provider = services.BuildServiceProvider();
        var repository = provider.GetRequiredService<PolicyRepository>();
        Assert.NotEmpty(await repository.SearchAsync(new PolicySearchQuery("gaming")));
        Assert.NotNull(provider.GetRequiredService<PolicyPromotion>());
        Assert.True(provider.GetRequiredService<SchedulerComposer>().Compose("schedcp_di", ["dsq_global", "order_fifo", "idle_default", "slice_fixed"]).Succeeded);
        Assert.IsType<AcceptAll>(provider.GetRequiredService<IDeploymentReceiptValidator>());
    }

    [Fact]
    public async Task Invalid_options_fail_with_a_message_naming_the_field()
    {
        var services = new ServiceCollection();
        services.AddSchedCPRepository(o => o.DefaultSearchLimit = 0);
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<PolicyRepository>());
        Assert.Contains("DefaultSearchLimit", error.Message, StringComparison.Ordinal);
    }
}
