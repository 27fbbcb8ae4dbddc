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
  <context>
    <name>MigrationView</name>
    <message numerus="yes">
      <source>Imported %n key(s) into WebOps</source>
      <translation>
        <numerusform>Imported %n key into WebOps</numerusform>
        <numerusform>Imported %n keys into WebOps</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Verified: all %n key(s) of the legacy files are in WebOps. They take effect at the next deployment. You can now remove the legacy files.</source>
      <translation>
        <numerusform>Verified: the %n key of the legacy files is in WebOps. It takes effect at the next deployment. You can now remove the legacy files.</numerusform>
        <numerusform>Verified: all %n keys of the legacy files are in WebOps. They take effect at the next deployment. You can now remove the legacy files.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Import %n key(s)</source>
      <translation>
        <numerusform>Import %n key</numerusform>
        <numerusform>Import %n keys</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>LocalDevView</name>
    <message numerus="yes">
      <source>%n problem(s) found.</source>
      <translation>
        <numerusform>%n problem found.</numerusform>
        <numerusform>%n problems found.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>{count} of %n key(s) out of step.</source>
      <translation>
        <numerusform>{count} of %n key out of step.</numerusform>
        <numerusform>{count} of %n keys out of step.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n finding(s). Double-click one, or press Enter, to open its file; right-click for more.</source>
      <translation>
        <numerusform>%n finding. Double-click it, or press Enter, to open its file; right-click for more.</numerusform>
        <numerusform>%n findings. Double-click one, or press Enter, to open its file; right-click for more.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Values of %n key(s) are in the repository. Rotate them: anyone with a clone can read them.</source>
      <translation>
        <numerusform>The value of %n key is in the repository. Rotate it: anyone with a clone can read it.</numerusform>
        <numerusform>Values of %n keys are in the repository. Rotate them: anyone with a clone can read them.</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>No value of %n secret(s) was found in the repository.</source>
      <translation>
        <numerusform>The value of %n secret was not found in the repository.</numerusform>
        <numerusform>No value of %n secrets was found in the repository.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>PullDialog</name>
    <message numerus="yes">
      <source>%n text value(s) will be copied from WebOps.</source>
      <translation>
        <numerusform>%n text value will be copied from WebOps.</numerusform>
        <numerusform>%n text values will be copied from WebOps.</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>EnvEditor</name>
    <message numerus="yes">
      <source>%n key(s), unsaved changes</source>
      <translation>
        <numerusform>%n key, unsaved changes</numerusform>
        <numerusform>%n keys, unsaved changes</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n key(s), saved</source>
      <translation>
        <numerusform>%n key, saved</numerusform>
        <numerusform>%n keys, saved</numerusform>
      </translation>
    </message>
  </context>
</TS>