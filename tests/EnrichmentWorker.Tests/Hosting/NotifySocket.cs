using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace EnrichmentWorker.Tests.Hosting;

/// <summary>
/// The test's side of sd_notify: a Unix datagram socket bound where NOTIFY_SOCKET will point, collecting each
/// datagram as one message (newline-separated KEY=value lines), as systemd receives them.
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private readonly string? _file;

    private NotifySocket(string address, string? file)
    {
        Address = address;
        _file = file;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        // systemd writes an abstract-namespace name with a leading '@'; .NET spells it with a leading NUL.
        _socket.Bind(new UnixDomainSocketEndPoint(address.StartsWith('@') ? "\0" + address[1..] : address));
        _receiving = ReceiveAsync();
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Address { get; }

    public IReadOnlyList<string> Messages => [.. _messages];

    /// <summary>Every KEY=value line received so far, in order.</summary>
    public List<string> Lines => [.. _messages.SelectMany(m => m.Split('\n', StringSplitOptions.RemoveEmptyEntries))];

    /// <summary>A socket file in the temp folder.</summary>
    public static NotifySocket AtPath()
    {
        var file = Path.Combine(Path.GetTempPath(), "ew-notify-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
        return new NotifySocket(file, file);
    }

    /// <summary>A socket in Linux's abstract namespace, written with a leading '@' as systemd does.</summary>
    public static NotifySocket Abstract() => new("@ew-notify-" + Guid.NewGuid().ToString("N")[..12], null);

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                _messages.Enqueue(Encoding.UTF8.GetString(buffer, 0, received));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _receiving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
        if (_file is not null)
        {
            File.Delete(_file);
        }
    }
}
