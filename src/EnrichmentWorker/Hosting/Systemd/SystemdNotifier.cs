using System.Net.Sockets;
using System.Text;

namespace EnrichmentWorker.Hosting.Systemd;

/// <summary>
/// Sends sd_notify(3) messages: one datagram of <c>KEY=value</c> lines to the Unix socket named by NOTIFY_SOCKET.
/// A name starting with '@' is in the abstract namespace (Linux), which .NET spells with a leading NUL.
/// Does nothing when the service was not started by systemd with Type=notify.
/// </summary>
public sealed class SystemdNotifier(SystemdEnvironment environment, ILogger<SystemdNotifier> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private Socket? _socket;
    private UnixDomainSocketEndPoint? _endPoint;
    private bool _failedOnce;

    public bool IsEnabled => environment.CanNotify;

    public void Notify(string state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!IsEnabled)
        {
            return;
        }

        var payload = Encoding.UTF8.GetBytes(state);
        lock (_gate)
        {
            try
            {
                _endPoint ??= EndPointFor(environment.NotifySocket!);
                _socket ??= new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                _socket.SendTo(payload, SocketFlags.None, _endPoint);
            }
            catch (SocketException ex)
            {
                // Losing a notification must not stop the service; say it once, not at every watchdog tick.
                if (!_failedOnce)
                {
                    _failedOnce = true;
                    logger.LogWarning("Could not notify systemd through NOTIFY_SOCKET: {Error}", ex.SocketErrorCode);
                }
            }
        }
    }

    internal static UnixDomainSocketEndPoint EndPointFor(string notifySocket) =>
        new(notifySocket.StartsWith('@') ? "\0" + notifySocket[1..] : notifySocket);

    public void Dispose()
    {
        lock (_gate)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }
}
