using System.Runtime.InteropServices;

namespace ModelC.Cli.Progress;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM while this lives: the first asks the work to stop at its next safe
/// point (<see cref="Token"/>) instead of killing the process mid-write; a second signal ends the
/// process at once, as without this.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;
    private PosixSignal? _received;

    public StopSignals() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>The signal received, in words.</summary>
    public string Name => _received == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT";

    /// <summary>The shell's exit status for the signal received: 128 + its number (130 for SIGINT, 143 for SIGTERM).</summary>
    public int ExitCode => _received == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;

    private void Handle(PosixSignalContext context)
    {
        lock (_stop)
        {
            if (_received is not null)
            {
                return;
            }
            _received = context.Signal;
        }
        context.Cancel = true;
        _stop.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _stop.Dispose();
    }
}
