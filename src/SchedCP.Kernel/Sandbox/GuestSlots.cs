using System.Globalization;
using Microsoft.Extensions.Logging;

namespace SchedCP.Kernel.Sandbox;

/// <summary>
/// Machine-wide slots for guests: a guest holds one for as long as QEMU runs, so the guests of every process on the
/// machine together never ask for more host cores than there are. A guest's clocks keep running while the host runs
/// another guest's vCPU, so two guests on a 2-core host distort each other's measurements; they queue instead. A slot
/// is an advisory lock on a file (<see cref="FileShare.None"/> takes <c>flock</c> on Linux), so a killed process
/// frees its slot with its descriptors.
/// </summary>
internal static class GuestSlots
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>How many guests of <paramref name="vcpus"/> each fit on <paramref name="hostCores"/> (at least one), unless configured.</summary>
    public static int For(int vcpus, int? configured, int hostCores) => configured ?? Math.Max(1, hostCores / Math.Max(1, vcpus));

    /// <summary>Waits for a free slot; dispose the result to free it.</summary>
    public static async Task<IDisposable> AcquireAsync(string directory, int slots, ILogger logger, string job, TimeProvider time, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var waitingSince = (long?)null;
        while (true)
        {
            for (var i = 0; i < slots; i++)
            {
                var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"guest-{i}.lock"));
                try
                {
                    var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
                    if (waitingSince is { } since)
                    {
                        SandboxLog.SlotAcquired(logger, job, time.GetElapsedTime(since).TotalSeconds);
                    }

                    return held;
                }
                catch (IOException)
                {
                    // Another guest holds this slot.
                }
            }

            if (waitingSince is null)
            {
                waitingSince = time.GetTimestamp();
                SandboxLog.WaitingForSlot(logger, job, slots);
            }

            await Task.Delay(Poll, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
