<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
  <context>
    <name>EntryActions</name>
    <message numerus="yes">
      <source>%n change(s) applied successfully</source>
      <translation>
        <numerusform>%n change applied successfully</numerusform>
        <numerusform>%n changes applied successfully</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>BulkEditDialog</name>
    <message numerus="yes">
      <source>Apply %n change(s)</source>
      <translation>
        <numerusform>Apply %n change</numerusform>
        <numerusform>Apply %n changes</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n change(s) staged</source>
      <translation>
        <numerusform>%n change staged</numerusform>
        <numerusform>%n changes staged</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n unchanged</source>
      <translation>
        <numerusform>%n unchanged</numerusform>
        <numerusform>%n unchanged</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Apply despite %n warning(s)?</source>
      <translation>
        <numerusform>Apply despite %n warning?</numerusform>
        <numerusform>Apply despite %n warnings?</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>HistoryDialog</name>
    <message numerus="yes">
      <source>%n version(s). Text values are masked; secrets are never shown.</source>
      <translation>
        <numerusform>%n version. Text values are masked; secrets are never shown.</numerusform>
        <numerusform>%n versions. Text values are masked; secrets are never shown.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message numerus="yes">
      <source>%n pending change(s)</source>
      <translation>
        <numerusform>%n pending change</numerusform>
        <numerusform>%n pending changes</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>StagedModel</name>
    <message numerus="yes">
      <source>%n error(s)</source>
      <translation>
        <numerusform>%n error</numerusform>
        <numerusform>%n errors</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n warning(s)</source>
      <translation>
        <numerusform>%n warning</numerusform>
        <numerusform>%n warnings</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>VariablesView</name>
    <message numerus="yes">
      <source>%n key(s)</source>
      <translation>
        <numerusform>%n key</numerusform>
        <numerusform>%n keys</numerusform>
      </translation>
    </message>
  </context>
</TS>