using Microsoft.Extensions.Logging.Abstractions;
using SchedCP.Kernel.Sandbox;

namespace SchedCP.Kernel.Tests.Sandbox;

public sealed class GuestSlotsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("guest-slots-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<IDisposable> Acquire(int slots, CancellationToken token) =>
        GuestSlots.AcquireAsync(_dir, slots, NullLogger.Instance, "test", TimeProvider.System, token);

    [Fact]
    public async Task A_second_guest_waits_for_the_first_and_gets_its_slot_when_the_first_ends()
    {
        var first = await Acquire(1, CancellationToken.None);
        var second = Acquire(1, CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Acquire(1, new CancellationTokenSource(TimeSpan.FromMilliseconds(300)).Token));
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromMinutes(1))).Dispose();
    }

    [Fact]
    public async Task Two_slots_admit_two_guests_at_once()
    {
        using var a = await Acquire(2, CancellationToken.None);
        using var b = await Acquire(2, CancellationToken.None);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Acquire(2, new CancellationTokenSource(TimeSpan.FromMilliseconds(300)).Token));
    }

    [Theory]
    [InlineData(2, null, 2, 1)]
    [InlineData(4, null, 2, 2)]
    [InlineData(2, null, 4, 1)]
    [InlineData(2, 3, 2, 3)]
    public void Slots_are_the_host_cores_divided_by_the_guest_vcpus_at_least_one(int cores, int? configured, int vcpus, int expected) =>
        Assert.Equal(expected, GuestSlots.For(vcpus, configured, cores));
}
