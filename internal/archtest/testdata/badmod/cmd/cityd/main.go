// cityd may import city/cityfleet; it is the package below that reaches
// what cityd may not.
package main

import _ "communekiosk/city/cityfleet"
