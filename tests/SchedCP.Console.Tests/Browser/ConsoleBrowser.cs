using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace SchedCP.Console.Tests.Browser;

/// <summary>Headless Chromium driven by chromedriver, logged in to a console; no network beyond loopback.</summary>
public sealed class ConsoleBrowser : IDisposable
{
    private readonly ChromeDriver _driver;
    private readonly Uri _console;
    private readonly string _profile;

    private ConsoleBrowser(ChromeDriver driver, Uri console, string profile)
    {
        _driver = driver;
        _console = console;
        _profile = profile;
    }

    public IWebDriver Driver => _driver;

    public static ConsoleBrowser LogIn(ConsoleServer server)
    {
        if (!Chromium.TryLocate(out var missing))
        {
            throw new InvalidOperationException(Chromium.Remedy(missing!));
        }

        // Selenium must not look for drivers online: the driver path is given and its manager stays offline.
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        Environment.SetEnvironmentVariable("SE_AVOID_STATS", "true");
        var profile = Directory.CreateTempSubdirectory("schedcp-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = Chromium.Browser };
        // --no-sandbox: chromium refuses to start as root otherwise; the page is our own loopback console.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--disable-component-update", "--metrics-recording-only", "--user-data-dir=" + profile);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Chromium.Driver)!, Path.GetFileName(Chromium.Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        var browser = new ConsoleBrowser(driver, server.Address, profile);
        browser.Open("/login");
        driver.FindElement(By.Id("token")).SendKeys(ConsoleServer.Token);
        driver.FindElement(By.Id("login")).Click();
        try
        {
            browser.Until(d => d.Url.TrimEnd('/') == server.Address.ToString().TrimEnd('/') && d.FindElements(By.CssSelector("ul.cards")).Count > 0, "the overview after login");
        }
        catch (WebDriverTimeoutException e)
        {
            var page = driver.PageSource;
            var url = driver.Url;
            browser.Dispose();
            throw new InvalidOperationException($"login did not reach the overview: at {url}: {(page.Length > 600 ? page[..600] : page)}", e);
        }
        return browser;
    }

    public void Open(string path) => _driver.Navigate().GoToUrl(new Uri(_console, path));

    /// <summary>Waits for the live page (SSE-driven refreshes) to reach a condition.</summary>
    public T Until<T>(Func<IWebDriver, T> condition, string what, int seconds = 20)
    {
        var wait = new WebDriverWait(_driver, TimeSpan.FromSeconds(seconds)) { PollingInterval = TimeSpan.FromMilliseconds(50), Message = "waiting for " + what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    /// <summary>Clicks an element, finding it again if a live refresh replaced it first.</summary>
    public void Click(By by, string what) => Until(d =>
    {
        d.FindElement(by).Click();
        return true;
    }, what);

    /// <summary>The text of every element matching a CSS selector, read at one instant.</summary>
    public IReadOnlyList<string> Texts(string css) =>
        [.. ((IEnumerable<object>)_driver.ExecuteScript("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent);", css)!).Select(o => (string)o)];

    public void WaitLive() => Until(d => d.FindElement(By.Id("live-status")).Text.StartsWith("live", StringComparison.Ordinal), "the event stream to connect");

    public object? Script(string script) => _driver.ExecuteScript(script);

    /// <summary>Saves a screenshot when SCHEDCP_CONSOLE_SCREENSHOTS names a folder (how docs/console/*.png are made).</summary>
    public void Screenshot(string name)
    {
        if (Environment.GetEnvironmentVariable("SCHEDCP_CONSOLE_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            _driver.GetScreenshot().SaveAsFile(Path.Combine(folder, name + ".png"));
        }
    }

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be writing its profile while it exits.
        }
    }
}
