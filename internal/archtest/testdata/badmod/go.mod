module communekiosk

go 1.26
