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
        var services = new ServiceCollection().AddLogging();
        services.AddSchedCPKernel();
        services.AddSchedCPRepository(o => o.DatabasePath = Path.Combine(_dir, "r.db"));
        services.AddSchedCPVerifier(b => b.UseStaticAnalysis(), ECDsa.Create(ECCurve.NamedCurves.nistP256), hostId: "h");
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
}
