using System.Net;
using Vedette.Identity;

namespace Vedette.Server.Tests;

public sealed class ServerBasicsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Health_answers_200_without_authentication_once_the_pipeline_runs()
    {
        var (response, body) = await Json.GetAsync(_server.Client(null), "/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_anonymous_caller_gets_401_as_problem_details()
    {
        var response = await _server.Client(null).GetAsync("/api/v1/alerts");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await Json.ReadAsync(response);
        Assert.Equal(401, body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task The_OpenAPI_document_and_the_browsable_reference_are_served_to_signed_in_callers()
    {
        var viewer = _server.Client(Role.Viewer);
        var (response, document) = await Json.GetAsync(viewer, "/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/v1/events", out _));
        var page = await viewer.GetAsync("/api/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Client(null).GetAsync("/openapi/v1.json")).StatusCode);
    }
}

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_takes_no_new_work_but_drains_what_was_admitted_into_the_store_and_answers_it()
    {
        var server = await TestServer.StartAsync();
        try
        {
            var client = server.Client(Role.Analyst);
            server.Queue.Pause();
            var line = """{"kind":"alert","title":"in flight at shutdown","severity":"high","host":"wks1"}""" + "\n";
            var inFlight = client.PostAsync("/api/v1/events", new StringContent(line));
            while (server.Queue.QueuedBytes == 0)
            {
                await Task.Delay(10);
            }

            var stopping = server.App.StopAsync();
            await Task.Delay(200);
            Assert.False(stopping.IsCompleted, "the server stopped with a request still waiting for its batch");
            server.Queue.Resume();
            var response = await inFlight;
            await stopping;

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var stored = await server.Store.ListAlertsAsync(new Storage.AlertQuery { RuleId = "external:in flight at shutdown" }, CancellationToken.None);
            Assert.Single(stored.Items);
            Assert.Contains(server.Logs.Messages, m => m.Contains("Pipeline drained", StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
