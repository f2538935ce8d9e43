<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>About</name>
    <message>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>About tabledesk</source>
        <translation>关于 tabledesk</translation>
    </message>
    <message>
        <source>tabledesk {version}</source>
        <translation>tabledesk {version}</translation>
    </message>
    <message>
        <source>Turns report PDFs into clean, balanced spreadsheets.</source>
        <translation>把报表 PDF 转为干净、勾稽平衡的电子表格。</translation>
    </message>
    <message>
        <source>tabledesk is free software under the MIT licence. It includes the components below, each under its own licence; their licence texts are in the installation folder.</source>
        <translation>tabledesk 是以 MIT 许可证发布的自由软件。它包含下列组件，各自适用其许可证；许可证全文见安装文件夹。</translation>
    </message>
</context>
<context>
    <name>ChangesView</name>
    <message>
        <source>Suggested correction</source>
        <translation>采纳建议更正</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>单元格</translation>
    </message>
    <message>
        <source>Printed → corrected</source>
        <translation>印刷值 → 更正值</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>更正记录</translation>
    </message>
    <message>
        <source>&amp;Changes</source>
        <translation>更正记录(&amp;C)</translation>
    </message>
</context>
<context>
    <name>ChecksModel</name>
    <message>
        <source>Table</source>
        <translation>表</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>相差</translation>
    </message>
    <message>
        <source>{count} printed numbers could not be placed ({numbers}) while {empty} cells are empty: a blank may not be 0, check where they belong</source>
        <translation>原文有 {count} 个数字未能放入表格（{numbers}），而表中有 {empty} 个空白格——空白未必是 0，请核对这些数字的位置</translation>
    </message>
    <message>
        <source>OCR unsure: {row} / {col} read as “{text}” ({confidence:.0%})</source>
        <translation>OCR 不确定：{row} / {col} 识别为“{text}”（置信度 {confidence:.0%}）</translation>
    </message>
    <message>
        <source>Accepted as printed: {text}</source>
        <translation>原文如此：{text}</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>备注：{note}</translation>
    </message>
</context>
<context>
    <name>DecisionActions</name>
    <message>
        <source>Checks still failing</source>
        <translation>仍有未通过的校验</translation>
    </message>
    <message>
        <source>{n} checks still fail and are not accepted as printed. {doing} anyway?</source>
        <translation>仍有 {n} 项校验未通过，且未标记为“原文如此”。仍要{doing}吗？</translation>
    </message>
    <message>
        <source>Correct them, or select each and choose “Accept as printed” where the source itself is wrong.</source>
        <translation>请更正；如果是原文本身有误，请选中该校验并选择“原文如此”。</translation>
    </message>
    <message>
        <source>Accept as printed…</source>
        <translation>原文如此…</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>重新打开</translation>
    </message>
    <message>
        <source>Accept as Printed…</source>
        <translation>原文如此（按原文导出）…</translation>
    </message>
    <message>
        <source>The source itself is inconsistent here: export the numbers as printed</source>
        <translation>此处原文本身不一致：按原文数字导出</translation>
    </message>
    <message>
        <source>Reopen Accepted Check</source>
        <translation>撤销“原文如此”</translation>
    </message>
    <message>
        <source>Accept as printed</source>
        <translation>原文如此</translation>
    </message>
    <message>
        <source>The source itself is inconsistent here. Note (optional):</source>
        <translation>此处原文本身不一致。备注（可不填）：</translation>
    </message>
    <message>
        <source>Reopen accepted check</source>
        <translation>撤销“原文如此”</translation>
    </message>
</context>
<context>
    <name>EarlyTables</name>
    <message>
        <source>Reading page {read} of {pages}: the tables read so far are shown</source>
        <translation>正在读取第 {read} 页，共 {pages} 页：先显示已读出的表格</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>CSV, UTF-8 (*.csv)</source>
        <translation>CSV，UTF-8 编码 (*.csv)</translation>
    </message>
    <message>
        <source>tabledesk review (*.tdreview)</source>
        <translation>tabledesk 审核文件 (*.tdreview)</translation>
    </message>
    <message>
        <source>{name} (export)</source>
        <translation>{name}（导出）</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Unsaved corrections</source>
        <translation>修改尚未保存</translation>
    </message>
    <message>
        <source>Save the corrections to {name}?</source>
        <translation>是否保存对 {name} 的修改？</translation>
    </message>
    <message>
        <source>If you don&apos;t save them, they are lost.</source>
        <translation>如不保存，这些修改将会丢失。</translation>
    </message>
    <message>
        <source>Autosave failed: {error}</source>
        <translation>自动保存失败：{error}</translation>
    </message>
    <message>
        <source>Autosave failed</source>
        <translation>自动保存失败</translation>
    </message>
    <message>
        <source>Your corrections are still open here. tabledesk tries again every few seconds; to be safe, also save the review with File › Save As… on another disk.</source>
        <translation>您的修改仍在本窗口中。tabledesk 每隔几秒会重试自动保存；为稳妥起见，请用“文件 › 另存为…”把审核另存到其他磁盘。</translation>
    </message>
    <message>
        <source>Autosave works again</source>
        <translation>自动保存已恢复</translation>
    </message>
    <message>
        <source>Save review</source>
        <translation>保存审核</translation>
    </message>
    <message>
        <source>Cannot save the review</source>
        <translation>无法保存审核</translation>
    </message>
    <message>
        <source>Saved {name}</source>
        <translation>已保存 {name}</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>…and {n} more</source>
        <translation>……另有 {n} 项</translation>
    </message>
    <message>
        <source>{n} problem is still open:</source>
        <translation>还有 {n} 个问题未解决：</translation>
    </message>
    <message>
        <source>{n} problems are still open:</source>
        <translation>还有 {n} 个问题未解决：</translation>
    </message>
    <message>
        <source>Export Anyway</source>
        <translation>仍然导出</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>Exported {name}</source>
        <translation>已导出 {name}</translation>
    </message>
    <message>
        <source>Your corrections are still open here and kept in the recovery store.</source>
        <translation>您的修改仍在本窗口中，并已保存在恢复存储里。</translation>
    </message>
    <message>
        <source>Your corrections are still open here.</source>
        <translation>您的修改仍在本窗口中。</translation>
    </message>
    <message>
        <source>Cannot open the review</source>
        <translation>无法打开审核文件</translation>
    </message>
    <message>
        <source>Opened {name}</source>
        <translation>已打开 {name}</translation>
    </message>
    <message>
        <source>Restore opens the most recent; the others are offered again next time.</source>
        <translation>“恢复”将打开最近的一项；其余各项下次启动时会再次提示。</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>恢复未保存的工作？</translation>
    </message>
    <message>
        <source>tabledesk did not close properly last time. This work was not saved:</source>
        <translation>tabledesk 上次未正常关闭。以下工作尚未保存：</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>丢弃(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Discard All</source>
        <translation>全部丢弃(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Later</source>
        <translation>以后再说(&amp;L)</translation>
    </message>
    <message>
        <source>Cannot restore the review</source>
        <translation>无法恢复审核</translation>
    </message>
    <message>
        <source>Source file</source>
        <translation>源文件</translation>
    </message>
    <message>
        <source>{path}: the source file has changed since this review was made. The grids show the reviewed values.</source>
        <translation>{path}：源文件在本次审核之后已被改动。表格中显示的是审核时的数值。</translation>
    </message>
    <message>
        <source>{path}: the source file is no longer there.</source>
        <translation>{path}：源文件已不在原处。</translation>
    </message>
    <message>
        <source>Source file moved</source>
        <translation>源文件已移动</translation>
    </message>
    <message>
        <source>Locate it now?</source>
        <translation>现在查找该文件吗？</translation>
    </message>
    <message>
        <source>Locate the source file</source>
        <translation>查找源文件</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>{path} is not the file that was reviewed: its contents differ.</source>
        <translation>{path} 不是审核时所用的文件：内容不同。</translation>
    </message>
    <message>
        <source>Different file</source>
        <translation>文件不同</translation>
    </message>
    <message>
        <source>Use it anyway?</source>
        <translation>仍然使用该文件吗？</translation>
    </message>
    <message>
        <source>{title} — damaged, last at {time}</source>
        <translation>{title} — 已损坏，最后修改于 {time}</translation>
    </message>
    <message>
        <source>{title} — {n} corrections, last at {time}</source>
        <translation>{title} — {n} 处修改，最后修改于 {time}</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <source>a number or a label</source>
        <translation>数字或栏目名称</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>上一个（Shift+F3）</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>下一个（F3）</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>查找下一个(&amp;N)</translation>
    </message>
    <message>
        <source>Find &amp;Previous</source>
        <translation>查找上一个(&amp;P)</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <source>{i} of {n}</source>
        <translation>第 {i} 个，共 {n} 个</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <source>Open a report</source>
        <translation>打开报告</translation>
    </message>
    <message>
        <source>Save the review</source>
        <translation>保存审核</translation>
    </message>
    <message>
        <source>Next / previous problem (the cell is ready to type into)</source>
        <translation>下一个 / 上一个问题（可直接输入更正）</translation>
    </message>
    <message>
        <source>Type a number</source>
        <translation>输入数字</translation>
    </message>
    <message>
        <source>Replace the selected cell&apos;s value</source>
        <translation>替换所选单元格的值</translation>
    </message>
    <message>
        <source>Edit the selected cell</source>
        <translation>编辑所选单元格</translation>
    </message>
    <message>
        <source>Move down / right</source>
        <translation>下移 / 右移</translation>
    </message>
    <message>
        <source>Clear the selected cells</source>
        <translation>清除所选单元格</translation>
    </message>
    <message>
        <source>Copy / paste a block (from Excel or WPS)</source>
        <translation>复制 / 粘贴一块数据（可来自 Excel 或 WPS）</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Apply the suggested correction</source>
        <translation>采纳建议更正</translation>
    </message>
    <message>
        <source>Find a number or label; next / previous match</source>
        <translation>查找数字或栏目；下一个 / 上一个</translation>
    </message>
    <message>
        <source>Print the corrected tables</source>
        <translation>打印更正后的表格</translation>
    </message>
    <message>
        <source>Mark the report as reviewed</source>
        <translation>将报告标记为已审核</translation>
    </message>
    <message>
        <source>Zoom the page in / out / to the page width</source>
        <translation>放大 / 缩小页面 / 适合宽度</translation>
    </message>
    <message>
        <source>Read a region of the page again by OCR</source>
        <translation>对页面某一区域重新识别（OCR）</translation>
    </message>
    <message>
        <source>This list</source>
        <translation>本快捷键列表</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>作用</translation>
    </message>
    <message>
        <source>Open the user guide</source>
        <translation>打开使用说明</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Extraction error</source>
        <translation>识别错误</translation>
    </message>
    <message>
        <source>The source itself is inconsistent</source>
        <translation>原文本身不一致</translation>
    </message>
    <message>
        <source>OCR error</source>
        <translation>OCR 识别错误</translation>
    </message>
    <message>
        <source>Source inconsistent</source>
        <translation>原文数据有误</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Reason for corrections</source>
        <translation>修改原因</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>修改原因：</translation>
    </message>
    <message>
        <source>Mark as &amp;Reviewed</source>
        <translation>标记为已审核(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Next Problem</source>
        <translation>下一个问题(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Previous Problem</source>
        <translation>上一个问题(&amp;P)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fit Width</source>
        <translation>适合宽度(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;User Guide</source>
        <translation>使用说明(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;About tabledesk</source>
        <translation>关于 tabledesk(&amp;A)</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近打开的文件</translation>
    </message>
    <message>
        <source>Open report</source>
        <translation>打开报告</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>Checks: once every page is read</source>
        <translation>校验：全部页面读完后进行</translation>
    </message>
    <message>
        <source>Opened {name}</source>
        <translation>已打开 {name}</translation>
    </message>
    <message>
        <source>Mark as reviewed</source>
        <translation>标记为已审核</translation>
    </message>
    <message>
        <source>{n} check failing</source>
        <translation>{n} 项校验未通过</translation>
    </message>
    <message>
        <source>{n} checks failing</source>
        <translation>{n} 项校验未通过</translation>
    </message>
    <message>
        <source>{n} cell corrected</source>
        <translation>已更正 {n} 个单元格</translation>
    </message>
    <message>
        <source>{n} cells corrected</source>
        <translation>已更正 {n} 个单元格</translation>
    </message>
    <message>
        <source>All checks pass</source>
        <translation>全部通过</translation>
    </message>
    <message>
        <source> · {n} accepted as printed</source>
        <translation> · {n} 项原文如此</translation>
    </message>
    <message>
        <source>Unit: {unit}</source>
        <translation>单位：{unit}</translation>
    </message>
    <message>
        <source>Printed empty: {note}</source>
        <translation>原文注明：{note}</translation>
    </message>
    <message>
        <source>The user guide could not be opened</source>
        <translation>无法打开使用说明</translation>
    </message>
    <message>
        <source>Cannot open the report</source>
        <translation>无法打开报告</translation>
    </message>
    <message>
        <source>No text layer: type the numbers in beside the page</source>
        <translation>没有文字层：请对照页面录入数字</translation>
    </message>
    <message>
        <source>&amp;Undo {action}</source>
        <translation>撤销 {action}(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo {action}</source>
        <translation>重做 {action}(&amp;R)</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>Checks: {n} to look at</source>
        <translation>校验：{n} 项待查看</translation>
    </message>
    <message>
        <source>{n} problems in this table</source>
        <translation>本表有 {n} 个问题</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language is used the next time tabledesk starts.</source>
        <translation>新的语言将在下次启动 tabledesk 时生效。</translation>
    </message>
    <message>
        <source>&amp;Mapping</source>
        <translation>对应关系(&amp;M)</translation>
    </message>
    <message>
        <source>Template and &amp;Format…</source>
        <translation>模板和版式(&amp;F)…</translation>
    </message>
    <message>
        <source>Unmatched printed rows: {n}</source>
        <translation>未对应的打印行：{n}</translation>
    </message>
    <message>
        <source>Template and format</source>
        <translation>模板和版式</translation>
    </message>
    <message>
        <source>Format of the report:</source>
        <translation>报告的版式：</translation>
    </message>
    <message>
        <source>Change the format to {format}</source>
        <translation>将版式改为 {format}</translation>
    </message>
    <message>
        <source>This printed row is…</source>
        <translation>此打印行对应…</translation>
    </message>
    <message>
        <source>None of the template&apos;s rows</source>
        <translation>不对应模板中的任何行</translation>
    </message>
    <message>
        <source>The numbers in this column are…</source>
        <translation>此列数字实为…</translation>
    </message>
    <message>
        <source>None of the template&apos;s columns</source>
        <translation>不属于模板中的任何列</translation>
    </message>
    <message>
        <source>Take the column out of the table</source>
        <translation>将此列移出表格</translation>
    </message>
    <message>
        <source>Move the column to {col}</source>
        <translation>将此列改为 {col}</translation>
    </message>
    <message>
        <source>Assign the printed row to none</source>
        <translation>取消打印行的对应</translation>
    </message>
    <message>
        <source>Assign the printed row to {row}</source>
        <translation>将打印行对应到 {row}</translation>
    </message>
    <message>
        <source>Remember this wording</source>
        <translation>记住这一写法</translation>
    </message>
    <message>
        <source>Remember “{printed}” as another wording of “{row}” in the template?</source>
        <translation>在模板中记住“{printed}”为“{row}”的另一种写法？</translation>
    </message>
    <message>
        <source>Remembered “{printed}” in {file}</source>
        <translation>已在 {file} 中记住“{printed}”</translation>
    </message>
    <message>
        <source>Row of the template</source>
        <translation>模板中的行</translation>
    </message>
    <message>
        <source>Assign “{text}” to:</source>
        <translation>将“{text}”对应到：</translation>
    </message>
    <message>
        <source>Assign to a row of the template…</source>
        <translation>对应到模板中的行…</translation>
    </message>
    <message>
        <source>Reports ({patterns})</source>
        <translation>报告 ({patterns})</translation>
    </message>
    <message>
        <source>Text (*.txt)</source>
        <translation>文本 (*.txt)</translation>
    </message>
    <message>
        <source>Web pages ({patterns})</source>
        <translation>网页 ({patterns})</translation>
    </message>
    <message>
        <source>Saved reviews ({patterns})</source>
        <translation>已保存的审核 ({patterns})</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>OcrCell</name>
    <message>
        <source>Read by OCR with low confidence ({percent}%): check it against the page</source>
        <translation>OCR 识别把握不足（{percent}%）：请对照原页核对</translation>
    </message>
    <message>
        <source>Unsure of the characters in brackets: {text}</source>
        <translation>方括号中的字符识别不确定：{text}</translation>
    </message>
</context>
<context>
    <name>OcrWorker</name>
    <message>
        <source>Reading the scanned pages by OCR…</source>
        <translation>正在用 OCR 识别扫描页…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Scanned report</source>
        <translation>扫描件报告</translation>
    </message>
    <message>
        <source>Reading {name} by OCR…</source>
        <translation>正在用 OCR 识别 {name}…</translation>
    </message>
    <message>
        <source>Reading the scanned pages by OCR: page {done} of {total}</source>
        <translation>正在用 OCR 识别扫描页：第 {done} 页，共 {total} 页</translation>
    </message>
</context>
<context>
    <name>OpenErrors</name>
    <message>
        <source>The file {name} was not found.</source>
        <translation>找不到文件 {name}。</translation>
    </message>
    <message>
        <source>{name} is not a kind of file tabledesk reads (PDF, web page or text).</source>
        <translation>{name} 不是本软件能读取的文件类型（可读取 PDF、网页或文本）。</translation>
    </message>
    <message>
        <source>{name} is damaged or incomplete and cannot be read.</source>
        <translation>{name} 已损坏或不完整，无法读取。</translation>
    </message>
    <message>
        <source>{name} is protected by a password and cannot be read.</source>
        <translation>{name} 设有密码保护，无法读取。</translation>
    </message>
    <message>
        <source>{name} is a scan without text, and the OCR reader is not installed.</source>
        <translation>{name} 是没有文字层的扫描件，且未安装文字识别（OCR）组件。</translation>
    </message>
    <message>
        <source>The text of {name} cannot be read: its fonts map to no characters.</source>
        <translation>{name} 的文字无法读取：其字体无法对应到文字。</translation>
    </message>
    <message>
        <source>{name} holds no table of a known report (政府信息公开工作年度报告).</source>
        <translation>{name} 中没有找到已知报告（政府信息公开工作年度报告）的表格。</translation>
    </message>
    <message>
        <source>{name} could not be read.</source>
        <translation>无法读取 {name}。</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <source>Page %1</source>
        <translation>第 %1 页</translation>
    </message>
    <message>
        <source>This PDF cannot be shown: %1</source>
        <translation>无法显示此 PDF：%1</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>{agency} · {year}</source>
        <translation>{agency} · {year} 年度</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} 页 / 共 {pages} 页</translation>
    </message>
    <message>
        <source>Key: ! hatched, heavy border = a check fails · ◣ black corner = corrected (printed value in brackets)</source>
        <translation>图例：! 加粗框并带斜线 = 校验未通过 · ◣ 黑色角标 = 已更正（括号内为印刷值）</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>Print Pre&amp;view…</source>
        <translation>打印预览(&amp;V)…</translation>
    </message>
    <message>
        <source>Print to P&amp;DF…</source>
        <translation>打印为 PDF(&amp;D)…</translation>
    </message>
    <message>
        <source>Print to PDF</source>
        <translation>打印为 PDF</translation>
    </message>
    <message>
        <source>Printed {n} tables to {name}</source>
        <translation>已将 {n} 张表打印到 {name}</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>waiting</source>
        <translation>等待读取</translation>
    </message>
    <message>
        <source>extracting</source>
        <translation>正在读取</translation>
    </message>
    <message>
        <source>unreadable</source>
        <translation>无法读取</translation>
    </message>
    <message>
        <source>no template</source>
        <translation>无对应模板</translation>
    </message>
    <message>
        <source>reviewed, {n} checks still failing</source>
        <translation>已审核，仍有 {n} 项校验未通过</translation>
    </message>
    <message>
        <source>reviewed</source>
        <translation>已审核</translation>
    </message>
    <message>
        <source> · {n} accepted as printed</source>
        <translation> · {n} 项原文如此</translation>
    </message>
    <message>
        <source>{n} checks failing</source>
        <translation>{n} 项校验未通过</translation>
    </message>
    <message>
        <source>incomplete</source>
        <translation>数据不全或有警告</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Agency</source>
        <translation>机关</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>The title does not say: double-click to type it</source>
        <translation>标题中没有：双击填写</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export Dataset…</source>
        <translation>导出数据集…</translation>
    </message>
    <message>
        <source>Review Queue</source>
        <translation>审核队列</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>打开文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Add Reports to &amp;Queue…</source>
        <translation>添加报告到队列(&amp;Q)…</translation>
    </message>
    <message>
        <source>Export Queue as &amp;Dataset…</source>
        <translation>将队列导出为数据集(&amp;D)…</translation>
    </message>
    <message>
        <source>Open folder of reports</source>
        <translation>打开报告所在文件夹</translation>
    </message>
    <message>
        <source>Add reports to the queue</source>
        <translation>添加报告到队列</translation>
    </message>
    <message>
        <source>The queue could not be saved: {error}</source>
        <translation>队列无法保存：{error}</translation>
    </message>
    <message>
        <source>Export the queue as a dataset</source>
        <translation>将队列导出为数据集</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV，UTF-8 (*.csv)</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>Exported {name}</source>
        <translation>已导出 {name}</translation>
    </message>
    <message>
        <source>{n} documents · {failing} with failing checks · {reviewed} reviewed</source>
        <translation>共 {n} 份 · {failing} 份校验未通过 · {reviewed} 份已审核</translation>
    </message>
</context>
<context>
    <name>RegionOcr</name>
    <message>
        <source>Read &amp;Region by OCR…</source>
        <translation>OCR 重新识别区域(&amp;R)…</translation>
    </message>
    <message>
        <source>Drag a rectangle round a table on the page to read it again by OCR</source>
        <translation>在页面上围绕表格拖出一个矩形，用 OCR 重新识别</translation>
    </message>
    <message>
        <source>Drag a rectangle round the table on the page to read it again by OCR (Esc cancels)</source>
        <translation>在页面上围绕表格拖出一个矩形，用 OCR 重新识别（按 Esc 取消）</translation>
    </message>
    <message>
        <source>Reading the region on page {page} by OCR…</source>
        <translation>正在用 OCR 识别第 {page} 页的区域…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Read region by OCR</source>
        <translation>OCR 重新识别区域</translation>
    </message>
    <message>
        <source>Read region on page {page} by OCR</source>
        <translation>OCR 重新识别第 {page} 页的区域</translation>
    </message>
    <message>
        <source>Region on page {page} read again: check the cells marked uncertain (Ctrl+Z undoes)</source>
        <translation>已重新识别第 {page} 页的区域：请核对标为不确定的单元格（Ctrl+Z 撤销）</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Check a report&apos;s tables</source>
        <translation>核对报告中的表格</translation>
    </message>
    <message>
        <source>Open a report (PDF, web page or text). Its tables are read into grids beside the page, and every cell that breaks the form&apos;s rules is shown in red: F8 goes to the next one. You can also drop a file on this window.</source>
        <translation>打开一份报告（PDF、网页或文本）。报告中的表格会读入页面旁的表格中，不符合表格勾稽关系的单元格显示为红色：按 F8 转到下一个。也可以把文件拖到本窗口中。</translation>
    </message>
    <message>
        <source>Open Report…</source>
        <translation>打开报告…</translation>
    </message>
    <message>
        <source>Open Folder…</source>
        <translation>打开文件夹…</translation>
    </message>
    <message>
        <source>Open the Sample Report</source>
        <translation>打开示例报告</translation>
    </message>
    <message>
        <source>Recent reports</source>
        <translation>最近打开的报告</translation>
    </message>
</context>
<context>
    <name>SuggestionActions</name>
    <message>
        <source>Apply</source>
        <translation>采纳</translation>
    </message>
    <message>
        <source>Apply 2</source>
        <translation>采用第2种</translation>
    </message>
    <message>
        <source>Apply 3</source>
        <translation>采用第3种</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>Apply Suggested Correction</source>
        <translation>采纳建议更正</translation>
    </message>
    <message>
        <source>Dismiss Suggested Correction</source>
        <translation>忽略建议更正</translation>
    </message>
    <message>
        <source>Apply Second Listed Correction</source>
        <translation>采用所列第2种更正</translation>
    </message>
    <message>
        <source>Apply Third Listed Correction</source>
        <translation>采用所列第3种更正</translation>
    </message>
    <message>
        <source>Not filled in: {text} (Ctrl+Enter fills it in)</source>
        <translation>未填写：{text}（Ctrl+Enter 填入）</translation>
    </message>
    <message>
        <source>No suggestion: {reason}</source>
        <translation>无建议：{reason}</translation>
    </message>
    <message>
        <source>Several corrections explain this about equally well (Ctrl+Enter applies the first; Apply 2 / Apply 3 the others):
{list}</source>
        <translation>有几种更正同样可能（Ctrl+Enter 采用第一种；“采用第2种”“采用第3种”采用其他）：
{list}</translation>
    </message>
    <message>
        <source>Suggested: {text} (Ctrl+Enter applies it)</source>
        <translation>建议更正：{text}（Ctrl+Enter 采纳）</translation>
    </message>
    <message>
        <source>No suggested correction to apply</source>
        <translation>没有可采纳的建议更正</translation>
    </message>
    <message>
        <source>Apply suggestion {text}</source>
        <translation>采纳建议 {text}</translation>
    </message>
</context>
<context>
    <name>TableModel</name>
    <message>
        <source>not filled</source>
        <translation>未填写</translation>
    </message>
    <message>
        <source>Accepted as printed: {text}</source>
        <translation>原文如此：{text}</translation>
    </message>
    <message>
        <source>Printed value: {printed}</source>
        <translation>原文数值：{printed}</translation>
    </message>
    <message>
        <source>Printed text is not a number: {text}</source>
        <translation>原文不是数字：{text}</translation>
    </message>
    <message>
        <source>Not found in the source</source>
        <translation>原文中没有这一项</translation>
    </message>
    <message>
        <source>Page {page}</source>
        <translation>第 {page} 页</translation>
    </message>
    <message>
        <source>Line {line}</source>
        <translation>第 {line} 行</translation>
    </message>
    <message>
        <source>“{text}” is not a number: type digits only, e.g. 21 or 7730.28</source>
        <translation>“{text}”不是数字：请只输入数字，例如 21 或 7730.28</translation>
    </message>
    <message>
        <source>Paste {n} cells</source>
        <translation>粘贴 {n} 个单元格</translation>
    </message>
</context>
<context>
    <name>TemplateBuilder</name>
    <message>
        <source>New template from this document</source>
        <translation>用本文档新建模板</translation>
    </message>
    <message>
        <source>Words every document of this form prints (separated by commas)</source>
        <translation>这类报表每份都会印有的词语（用逗号分隔）</translation>
    </message>
    <message>
        <source>Name of the form:</source>
        <translation>报表名称：</translation>
    </message>
    <message>
        <source>Recognised by the words:</source>
        <translation>识别词：</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>校验规则</translation>
    </message>
    <message>
        <source>On this document</source>
        <translation>在本文档上</translation>
    </message>
    <message>
        <source>Add a Rule…</source>
        <translation>添加校验…</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>Save and Use</source>
        <translation>保存并使用</translation>
    </message>
    <message>
        <source>Export Template File…</source>
        <translation>导出模板文件…</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>As printed</source>
        <translation>原文</translation>
    </message>
    <message>
        <source>Label in the template</source>
        <translation>模板中的名称</translation>
    </message>
    <message>
        <source>Heading of the rows below</source>
        <translation>作为下方各行的标题</translation>
    </message>
    <message>
        <source>not used</source>
        <translation>不使用</translation>
    </message>
    <message>
        <source>no cells to check</source>
        <translation>无可校验的单元格</translation>
    </message>
    <message>
        <source>✓ holds ({n} checks)</source>
        <translation>✓ 成立（{n} 项）</translation>
    </message>
    <message>
        <source>✗ fails {bad} of {n}</source>
        <translation>✗ {n} 项中 {bad} 项不成立</translation>
    </message>
    <message>
        <source>On this document: {found} of {cells} cells found, {checks} checks, {failed} failing.</source>
        <translation>在本文档上：找到 {cells} 个单元格中的 {found} 个，校验 {checks} 项，{failed} 项未通过。</translation>
    </message>
    <message>
        <source>Export template file</source>
        <translation>导出模板文件</translation>
    </message>
    <message>
        <source>Template files (*.toml)</source>
        <translation>模板文件 (*.toml)</translation>
    </message>
    <message>
        <source>Add a rule</source>
        <translation>添加校验</translation>
    </message>
    <message>
        <source>Check it in every column</source>
        <translation>在每一列上校验</translation>
    </message>
    <message>
        <source>This row:</source>
        <translation>此行：</translation>
    </message>
    <message>
        <source>is the sum of these rows:</source>
        <translation>等于下列各行之和：</translation>
    </message>
    <message>
        <source>&amp;New Template from This Document…</source>
        <translation>用本文档新建模板(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Import Template…</source>
        <translation>导入模板(&amp;I)…</translation>
    </message>
    <message>
        <source>New template</source>
        <translation>新建模板</translation>
    </message>
    <message>
        <source>This document has no tables with numbers to learn from.</source>
        <translation>本文档没有含数字的表格，无法据此新建模板。</translation>
    </message>
    <message>
        <source>Use the template {name}</source>
        <translation>使用模板“{name}”</translation>
    </message>
    <message>
        <source>Template saved: {path}</source>
        <translation>模板已保存：{path}</translation>
    </message>
    <message>
        <source>Import template</source>
        <translation>导入模板</translation>
    </message>
    <message>
        <source>Template imported: {path}</source>
        <translation>模板已导入：{path}</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Confirm {table} {row} / {col}: {new}</source>
        <translation>确认 {table} {row} / {col}：{new}</translation>
    </message>
    <message>
        <source>Edit {table} {row} / {col}: {old} → {new}</source>
        <translation>修改 {table} {row} / {col}：{old} → {new}</translation>
    </message>
    <message>
        <source>Edit {n} cells</source>
        <translation>修改 {n} 个单元格</translation>
    </message>
</context>
</TS>
