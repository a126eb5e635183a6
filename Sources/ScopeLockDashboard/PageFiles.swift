import Foundation

/// The page's static files, compiled into the executable from `Page/` (no CDN, nothing to install).
enum PageFiles {
    static let index = Data(PackageResources.index_html)
    static let css = Data(PackageResources.dashboard_css)
    static let script = Data(PackageResources.dashboard_js)
}
