using Microsoft.Extensions.Options;
using SchedCP.ControlPlane.Verification;

namespace SchedCP.Agents.DependencyInjection;

/// <summary>
/// The workbench builds and reads in the Execution agent's folders, so a candidate the agents compose is found where the
/// workbench looks. A folder set on <see cref="WorkbenchOptions"/> itself is kept: this fills only what is still unset.
/// </summary>
internal sealed class WorkbenchFoldersFromExecution(IOptions<ExecutionOptions> execution) : IConfigureOptions<WorkbenchOptions>
{
    public void Configure(WorkbenchOptions options)
    {
        var folders = execution.Value;
        options.BpfObjectDirectory ??= folders.BpfObjectDirectory;
        options.SourceDirectory ??= folders.SourceDirectory;
        options.WorkDirectory ??= folders.WorkDirectory;
    }
}
