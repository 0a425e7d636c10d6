#!/bin/sh
# 测试所需的系统软件包（make test 在 pytest 之前调用）：LibreOffice（把 xlsx/docx 转成 PDF）、
# poppler-utils（pdfinfo 数页数、pdftoppm 转 PNG）、思源/Noto 中文字体，以及与 Excel 默认字体 Calibri
# 等宽的 Carlito（否则 LibreOffice 用较宽的字体代替 Calibri，列宽、行高和页数都与 Excel 不同），以及
# Debian 的 Chromium（命令 chromium：lx site 的看板页在真实的无头浏览器中测试——无控制台错误、图表已绘制、
# 截图；已有 chromium-browser、google-chrome 或设置了 LX_CHROMIUM 时不再安装）。
# 只在缺少时安装，且只在以 root 运行、有 apt-get 时安装；否则打印说明并继续（缺少时，用到它们的测试
# 在本机跳过并说明原因，在 CI（设置了 CI 环境变量）中失败）。
set -u

missing=""
need() { # need PACKAGE: 缺少这个包所提供的东西
    case " $missing " in *" $1 "*) ;; *) missing="$missing $1" ;; esac
}
command -v soffice >/dev/null 2>&1 || need libreoffice-calc-nogui
command -v soffice >/dev/null 2>&1 || need libreoffice-writer-nogui
command -v pdfinfo >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || need poppler-utils
if [ -z "${LX_CHROMIUM:-}" ]; then
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
        command -v google-chrome >/dev/null 2>&1 || need chromium
fi
if command -v fc-list >/dev/null 2>&1; then
    [ -n "$(fc-list :lang=zh-cn family)" ] || need fonts-noto-cjk
    [ -n "$(fc-list Carlito family)" ] || need fonts-crosextra-carlito
else
    need fonts-noto-cjk
    need fonts-crosextra-carlito
fi
missing="${missing# }"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "注意：缺少测试所需的系统软件包：$missing。" >&2
    echo "      请以 root 运行 tools/system-packages.sh（需要 apt-get），或自行安装；" >&2
    echo "      在此之前，用到 LibreOffice 或 Chromium 的测试在本机跳过（在 CI 中失败）。" >&2
    exit 0
fi

echo "安装测试所需的系统软件包：$missing" >&2
apt_install() {
    # shellcheck disable=SC2086 # the package names are separate words
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
}
# the package lists are fetched only when the install fails without them (a fresh image has none)
if ! apt_install && ! { apt-get update && apt_install; }; then
    echo "注意：未能安装 $missing（见上面 apt-get 的输出）；用到它们的测试将跳过（在 CI 中失败）。" >&2
fi
exit 0
