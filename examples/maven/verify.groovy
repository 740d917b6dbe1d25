// Run by maven-invoker-plugin after both invocations of invoker.properties; fails the build by throwing.
def log = new File(basedir, 'build.log').text
def check = { boolean ok, String what -> if (!ok) throw new AssertionError(what) }

// The racy test failed by name, with the finding as its message; the correct one passed; the fork lived on.
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.HitCountersTest.xml')
check(report.isFile(), "Surefire wrote no report for HitCountersTest: the forked JVM did not finish")
def xml = new groovy.xml.XmlSlurper().parse(report)
def racy = xml.testcase.find { it.@name == 'racyCounter' }
def safe = xml.testcase.find { it.@name == 'safeCounter' }
check(racy.failure.size() == 1, "racyCounter did not fail: ${report.text}")
check(racy.failure.@message.text().startsWith('mapscope saw 1 map race during this test'), "racyCounter failed otherwise: ${racy.failure.@message}")
check(racy.failure.text().contains('at com.example.HitCounters.countRacy(HitCounters.java:'), "the finding does not name the racing line")
check(safe.failure.size() == 0 && safe.error.size() == 0, "safeCounter did not pass")

// The agent wrote its findings; check wrote SARIF and JUnit XML and failed the build.
def findings = new File(basedir, 'target/mapscope/findings.jsonl')
check(findings.text.contains('"type":"finding"'), "no finding in ${findings}")
def sarif = new File(basedir, 'target/mapscope/races.sarif')
check(sarif.isFile() && sarif.text.contains('"partialFingerprints"'), "no SARIF log with a result")
def junit = new File(basedir, 'target/surefire-reports/TEST-mapscope.xml')
check(junit.isFile() && junit.text.contains('<failure'), "no JUnit XML with a failed case")
return true
