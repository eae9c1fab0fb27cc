using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SchedCP.ControlPlane.Deployment;
using SchedCP.ControlPlane.Verification;
using SchedCP.Repository;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.Agents.Tests.DependencyInjection;

/// <summary>The agents sit on the control plane: one workbench, one promotion, registered by the control plane's own extension.</summary>
public sealed class AgentsRegistrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-agents-di-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_workbench_reads_the_execution_agents_folders_and_each_control_plane_service_is_registered_once()
    {
        var services = LowerPackages();
        services.AddSchedCPAgents(configureExecution: o => o.WorkDirectory = Path.Combine(_dir, "work"));
        services.AddSchedCPControlPlane();
        using var sp = services.BuildServiceProvider();

        Assert.Equal(Path.Combine(_dir, "work"), sp.GetRequiredService<IOptions<WorkbenchOptions>>().Value.WorkDirectory);
        Assert.Same(sp.GetRequiredService<PolicyWorkbench>(), sp.GetRequiredService<PolicyWorkbench>());
        foreach (var type in new[] { typeof(PolicyWorkbench), typeof(PolicyPromotion), typeof(IDeploymentReceiptValidator), typeof(DeploymentService) })
        {
            Assert.Single(services, d => d.ServiceType == type);
        }
    }

    [Fact]
    public void A_folder_the_caller_sets_on_the_workbench_itself_is_kept_and_the_rest_come_from_the_execution_agent()
    {
        var services = LowerPackages();
        services.AddSchedCPAgents(configureExecution: o => (o.WorkDirectory, o.SourceDirectory) = (Path.Combine(_dir, "work"), Path.Combine(_dir, "src")));
        services.Configure<WorkbenchOptions>(o => o.WorkDirectory = Path.Combine(_dir, "bench"));
        using var sp = services.BuildServiceProvider();

        var workbench = sp.GetRequiredService<IOptions<WorkbenchOptions>>().Value;
        Assert.Equal(Path.Combine(_dir, "bench"), workbench.WorkDirectory);
        Assert.Equal(Path.Combine(_dir, "src"), workbench.SourceDirectory);
        Assert.Equal(Path.Combine(_dir, "work"), sp.GetRequiredService<IOptions<ExecutionOptions>>().Value.WorkDirectory);
    }

    private ServiceCollection LowerPackages()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSchedCPKernel();
        services.AddSchedCPRepository(o => o.DatabasePath = Path.Combine(_dir, "r.db"));
        services.AddSchedCPVerifier(b => b.UseStaticAnalysis(), ECDsa.Create(ECCurve.NamedCurves.nistP256), hostId: "h");
        return services;
    }
}
